fn main() {
    // The default theme is embedded with include_dir!: rebuild when any of its files changes.
    println!("cargo:rerun-if-changed=themes/default");
}
