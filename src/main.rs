//! The `scholarsite` command: parse the command line, run, print diagnostics, exit.

use std::process::ExitCode;

/// On Linux the allocator is mimalloc, for the static (musl) release binaries and the glibc
/// builds alike. musl's own allocator serialises the threads on one lock and returns memory to
/// the system at every turn: the static binaries built a 10,000-paper site in 3.7 s with it,
/// 3.4× the glibc build's time, and the example site in 24 ms instead of 9. Against glibc's
/// allocator, a 10,000-paper build takes a fifth less time (hyperfine means of interleaved
/// runs: 0.91–0.93 vs 1.17 s; 1.33 vs 1.69 s in a slower hour) for a peak of 189–194 MiB
/// instead of 178–182 (a rebuild 196 instead of 184; on 8 threads 200–204 instead of 198–207,
/// on 16 threads 216–217 instead of 211–214), with the heap kept in small pages
/// (`base::memory::small_pages`) and each thread's heap collected between stages
/// (`base::memory::release_free`). Other platforms keep their system's allocator.
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    scholarsite::base::memory::small_pages();
    scholarsite::cli::main()
}
