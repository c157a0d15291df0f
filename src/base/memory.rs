//! Giving freed memory back to the system between the stages of a build.
//!
//! glibc's allocator keeps what a stage frees in the heap it came from (one heap per core), and
//! only pages at a heap's end go back to the system. The more cores, the more of that memory
//! sits idle: a 10,000-paper build on 8 threads (8 heaps) peaked at 214–222 MiB for 174 MiB in
//! use, on 16 threads at 241–244 MiB. Releasing the free pages after the stages that free the
//! most (merging the sources, rendering the listing items) brought those to 198–207 and
//! 211–214 MiB; on 2 cores it changes nothing (180 MiB), and no build got slower.
//!
//! mimalloc (the static musl builds) keeps a heap per thread, each holding on to its freed
//! pages for a while: collecting them at the same points took a cold 10,000-paper build from
//! 200–204 to 188–192 MiB (see `tune_allocator` in main.rs for the rest).

/// Returns the heap's free pages to the system (glibc, and mimalloc in the static musl
/// builds); elsewhere does nothing.
pub fn release_free() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory the allocator holds free; it is safe to call
    // from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
    #[cfg(target_env = "musl")]
    mimalloc_collect();
}

/// mimalloc keeps a heap per thread: each of rayon's threads collects its own when it is next
/// free (a blocking broadcast would wait for a thread busy with a long job).
#[cfg(target_env = "musl")]
fn mimalloc_collect() {
    use mimalloc as _;
    unsafe extern "C" {
        /// mimalloc's `void mi_collect(bool force)`: frees the calling thread's empty pages
        /// and gives free memory back to the system.
        fn mi_collect(force: bool);
    }
    // SAFETY: mi_collect only releases memory the allocator holds free, for the calling
    // thread's heap; it takes no pointers.
    rayon::spawn_broadcast(|_| unsafe { mi_collect(true) });
}
