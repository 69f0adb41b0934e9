//! A build killed with SIGKILL at any moment leaves the output folder as the old site or the
//! new one, never a mix, and the next build cleans up after it.
//!
//! Two sites take turns in one output folder: the demo (`content/` of the repository) and a
//! generated bank of practices (`benches/gen_corpus.py`). Each round starts a build of
//! the other site and kills it after a random delay (spread over one and a half times what a whole build takes); the
//! output must then equal, file for file, one of the two complete sites.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROUNDS: usize = 16;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(root: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_metodist"));
    cmd.arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Relative path → hash of the contents, for every published file (the tantivy index in
/// `.search-index/` names its files with random ids, so it is compared by presence only).
fn manifest(dir: &Path) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with(".search-index/") {
            let top = rel.split('/').take(2).collect::<Vec<_>>().join("/");
            out.insert(format!("{top}/*"), 0);
            continue;
        }
        let mut h = DefaultHasher::new();
        std::fs::read(entry.path()).unwrap().hash(&mut h);
        out.insert(rel, h.finish());
    }
    out
}

/// A small xorshift generator: the delays differ from run to run, and the seed is printed.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn killed_build_leaves_old_or_new_site() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let generator = repo().join("benches/gen_corpus.py");
    let status = Command::new("python3")
        .arg(&generator)
        .arg(&corpus)
        .arg("1500")
        .stdout(Stdio::null())
        .status();
    assert!(
        status.map(|s| s.success()).unwrap_or(false),
        "cannot generate the corpus with {} (python3 is needed)",
        generator.display()
    );
    let demo = repo();

    // The two complete sites, built once each into their own folders.
    let started = Instant::now();
    assert!(build(&corpus, &tmp.path().join("ref-corpus"))
        .status()
        .unwrap()
        .success());
    let full = started.elapsed();
    assert!(build(&demo, &tmp.path().join("ref-demo"))
        .status()
        .unwrap()
        .success());
    let sites = [
        ("demo", demo.clone(), manifest(&tmp.path().join("ref-demo"))),
        (
            "corpus",
            corpus.clone(),
            manifest(&tmp.path().join("ref-corpus")),
        ),
    ];
    assert_ne!(sites[0].2, sites[1].2);
    // Builds are reproducible (no timestamps, no random order): otherwise "the new site" would
    // not be one thing.
    assert!(build(&demo, &tmp.path().join("ref-demo-2"))
        .status()
        .unwrap()
        .success());
    let again = manifest(&tmp.path().join("ref-demo-2"));
    let differ: Vec<&String> = again
        .iter()
        .filter(|(k, v)| sites[0].2.get(*k) != Some(v))
        .map(|(k, _)| k)
        .take(5)
        .collect();
    assert!(
        differ.is_empty() && again.len() == sites[0].2.len(),
        "two builds of the same content differ: {differ:?}"
    );

    let out = tmp.path().join("public");
    assert!(build(&demo, &out).status().unwrap().success());
    let mut current = 0; // index into `sites` of what `out` holds
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("seed {seed}, a whole build of the corpus takes {full:?}");
    let mut rng = Rng(seed);
    let (mut old, mut new) = (0, 0);
    for round in 0..ROUNDS {
        let next = 1 - current;
        // Stratified: round r is killed in the r-th slice of [0, 1.5 × a whole build], so that
        // the kills cover the start, the middle, the swap and (late rounds) completed builds.
        let slice = full.as_millis() as u64 * 3 / 2 / ROUNDS as u64 + 1;
        let delay = Duration::from_millis(slice * round as u64 + rng.below(slice));
        let mut child = build(&sites[next].1, &out).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = manifest(&out);
        let which = sites.iter().position(|(_, _, m)| *m == now);
        let Some(which) = which else {
            let (_, _, a) = &sites[current];
            let (_, _, b) = &sites[next];
            let odd: Vec<&String> = now
                .keys()
                .filter(|k| !a.contains_key(*k) && !b.contains_key(*k))
                .take(5)
                .collect();
            panic!(
                "round {round} (seed {seed}, killed after {delay:?}): the output is neither the {} site nor the {} site \
                 ({} files; {} as in the old site, {} as in the new one; unknown: {odd:?})",
                sites[current].0,
                sites[next].0,
                now.len(),
                now.iter().filter(|(k, v)| a.get(*k) == Some(v)).count(),
                now.iter().filter(|(k, v)| b.get(*k) == Some(v)).count(),
            );
        };
        if which == current {
            old += 1;
        } else {
            new += 1;
        }
        current = which;
    }
    println!("{ROUNDS} kills: {old} left the old site, {new} the new one");

    // The next build succeeds and leaves no staging folder behind.
    assert!(build(&sites[1 - current].1, &out)
        .status()
        .unwrap()
        .success());
    assert_eq!(manifest(&out), sites[1 - current].2);
    let leftovers: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        // The lock file of each output stays on purpose (removing it would let a third build
        // lock a new file while a second still waits on the old one).
        .filter(|n| n.contains(".metodist-") && !n.ends_with(".metodist-lock"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

/// A second build on the same output waits for the first (which holds the output's lock) and
/// then builds: it never removes or writes into the first one's staging folder. The first
/// build is played by this test, holding the lock; no timing is involved.
#[test]
fn a_second_build_on_the_same_output_waits_for_the_first() {
    use std::io::{BufRead, BufReader};
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(tmp.path().join(".public.metodist-lock"))
        .unwrap();
    lock.lock().unwrap();
    let mut child = build(&repo(), &out).stderr(Stdio::piped()).spawn().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "the build ended without waiting"
        );
        if line.contains("жду его окончания") {
            break;
        }
    }
    assert!(line.contains("другой запуск metodist"), "{line}");
    // Waiting: it has written nothing, not even a staging folder.
    let written: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n != ".public.metodist-lock")
        .collect();
    assert!(written.is_empty(), "{written:?}");
    lock.unlock().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{rest}");
    assert!(out.join("index.html").is_file());
}
