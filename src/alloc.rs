//! The memory allocator: `metodist` (the binary) uses mimalloc (`src/main.rs`).

/// Gives the calling thread's free memory back to the system, and the memory that freed
/// allocations of any thread left for later purging (mimalloc purges it only when some
/// thread allocates again, so an idle server would keep it). For `metodist serve`, when a
/// worker runs out of work. Harmless when mimalloc is not the global allocator (the
/// library's tests): it then holds nothing.
pub(crate) fn release_free_memory() {
    // SAFETY: mi_collect only walks the calling thread's heap and the shared arenas, under
    // mimalloc's own synchronization; it has no preconditions.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// Turns transparent huge pages off for this process (Linux). mimalloc asks for them on its
/// arenas, and then every 2 MiB region a thread touches becomes resident whole: under 200
/// concurrent clients of `metodist serve`, 700 of its 860 MB were huge pages, each worker's
/// few small allocator pages spread over regions of their own (`benches/serve-load.mjs`,
/// figures in BENCHMARKS.md). Only the server calls it; builds are left as they were.
pub(crate) fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_THP_DISABLE) only sets a flag of the calling process.
    unsafe {
        libc::prctl(
            libc::PR_SET_THP_DISABLE,
            1 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        );
    }
}
