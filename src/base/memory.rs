//! Keeping the heap small: freed memory given back to the system between the stages of a
//! build, and the heap in small pages.
//!
//! The allocator on Linux, mimalloc (see main.rs), keeps a heap per thread, each holding on to
//! the pages its thread freed for a while. The stages that free the most (merging the sources,
//! rendering the listing items) are followed by each thread collecting its heap. A
//! 10,000-paper build peaked, with and without: cold 189–194 MiB either way on 2 cores, a
//! rebuild 195–196 instead of 197–200 MiB, cold on 8 threads 201–202 instead of 208–220 MiB;
//! no slower.

/// Has each of rayon's threads give its heap's free pages back to the system when it is next
/// idle (a blocking broadcast would wait for a thread busy with a long job). Does nothing off
/// Linux, where the system's allocator is used.
pub fn release_free() {
    #[cfg(target_os = "linux")]
    {
        use mimalloc as _;
        unsafe extern "C" {
            /// mimalloc's `void mi_collect(bool force)`: frees the calling thread's empty
            /// pages and gives free memory back to the system.
            fn mi_collect(force: bool);
        }
        // SAFETY: mi_collect only releases memory the allocator holds free, for the calling
        // thread's heap; it takes no pointers.
        rayon::spawn_broadcast(|_| unsafe { mi_collect(true) });
    }
}

/// Keeps this process's memory in small pages; called first thing in `main`. mimalloc asks for
/// transparent huge pages, 2 MiB pages that count whole in memory however little of them is
/// used: with them a 10,000-paper build peaked at 221–231 MiB (mimalloc v3, musl) instead of
/// 200–204, no faster. Does nothing off Linux.
pub fn small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process's memory (what mimalloc's
    // own `allow_thp = 0` option does); it takes no pointers.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// A command whose process keeps the system's page setting: the flag [`small_pages`] sets is
/// inherited by child processes, and the browser `serve --open` starts is not ours to tune.
pub fn with_system_pages(command: &mut std::process::Command) -> &mut std::process::Command {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: the closure runs in the child between fork and exec, where only
        // async-signal-safe calls are allowed: prctl is one system call, allocating nothing.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_THP_DISABLE, 0, 0, 0, 0);
                Ok(())
            });
        }
    }
    command
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::process::Command;

    /// The `THP_enabled` line of a process's `/proc/…/status`: `0` when the process has turned
    /// transparent huge pages off.
    fn thp_enabled(status: &str) -> Option<String> {
        status
            .lines()
            .find_map(|l| l.strip_prefix("THP_enabled:"))
            .map(|v| v.trim().to_string())
    }

    fn child_status(command: &mut Command) -> String {
        let out = command.arg("/proc/self/status").output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn huge_pages_are_off_here_and_on_again_in_a_browser_we_start() {
        let before = thp_enabled(&std::fs::read_to_string("/proc/self/status").unwrap());
        if before.as_deref() != Some("1") {
            eprintln!("skipped: this kernel has no transparent huge pages to turn off");
            return;
        }
        super::small_pages();
        let own = std::fs::read_to_string("/proc/self/status").unwrap();
        assert_eq!(thp_enabled(&own).as_deref(), Some("0"));
        // A child inherits the flag, unless started through `with_system_pages`.
        let inherited = child_status(&mut Command::new("cat"));
        assert_eq!(thp_enabled(&inherited).as_deref(), Some("0"));
        let started = child_status(super::with_system_pages(&mut Command::new("cat")));
        assert_eq!(thp_enabled(&started).as_deref(), Some("1"));
    }
}
