//! The `scholarsite` command: parse the command line, run, print diagnostics, exit.

use std::process::ExitCode;

/// musl's own allocator serialises the threads on one lock and returns memory to the system
/// at every turn: the static Linux release binaries built a 10,000-paper site in 3.7 s with
/// it, 3.4× the glibc build's time; the example site in 24 ms instead of 9. mimalloc brings
/// them back to the glibc build's speed (see [`tune_allocator`] for its memory). glibc's
/// allocator is kept where there is one.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tune_allocator();
    scholarsite::cli::main()
}

/// Keeps the heap small on Linux. Other platforms' allocators are left as they are.
///
/// glibc gives each thread that allocates its own malloc arena (up to eight per core), and
/// memory freed in one arena is not reused by another: the papers a build makes on one worker
/// thread and frees, the next stage allocates on another, and the process grows. One arena per
/// core keeps what rayon's workers free reusable (a 10,000-paper build: 216 → 188 MB peak, no
/// slower).
///
/// mimalloc (the musl builds) asks for transparent huge pages, 2 MiB pages that count whole
/// in memory however little of them is used. Without them, and with each thread's heap
/// collected between stages (`base::memory::release_free`), a 10,000-paper build peaks at
/// 188–192 MiB instead of 221–231 (a rebuild: 196–197 instead of 229–235; on 8 threads
/// 199–201 instead of 238–245, on 16 at 215 instead of 266–272), for up to 5 % of the time
/// (hyperfine means of interleaved runs: 985–1050 vs 937–985 ms) and nothing on the example.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let arenas = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets a malloc tunable; called first thing in main, before any
        // other thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
    #[cfg(all(target_os = "linux", target_env = "musl"))]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process's memory (what mimalloc's
    // own `allow_thp = 0` option does); it takes no pointers.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
