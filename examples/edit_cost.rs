//! What one edit costs the live preview, without the file watcher, its debounce and HTTP: a
//! session is started on a site in this process, one paper is given a new abstract (a marker
//! in its Markdown's front matter) and the change applied, again and again. For each edit it
//! measures wall time and CPU time (every thread's, from /proc on Linux) until the edited
//! page is published, and until the rebuild is done; prints the medians. CPU time is what a
//! machine shared with other work does not change much.
//!
//! ```sh
//! cargo run --release --example edit_cost -- SITE_DIR [PAPER_MD] [RUNS]
//! ```

use std::path::PathBuf;
use std::time::{Duration, Instant};

use scholarsite::load::settings::Overrides;
use scholarsite::serve::session::{Files, Session};

/// CPU time of every thread of this process so far (Linux; zero elsewhere).
fn cpu() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let ns: u64 = tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(ns)
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(site) = args.first().map(PathBuf::from) else {
        eprintln!("usage: edit_cost SITE_DIR [PAPER_MD] [RUNS]");
        std::process::exit(2);
    };
    let md = args
        .get(1)
        .filter(|a| !a.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let mut files: Vec<PathBuf> = std::fs::read_dir(site.join("content/papers"))
                .expect("content/papers")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            files.sort();
            files.into_iter().next().expect("a paper file")
        });
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(9);
    let start = Instant::now();
    let mut session = Session::start(&site, &Overrides::default(), Files::default())
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "session started in {:.0} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    let original = std::fs::read_to_string(&md).expect("read paper");
    let (mut first_wall, mut first_cpu, mut all_wall, mut all_cpu) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        let marker = format!("Cost marker {run}.");
        let edited = original.replacen("+++\n", &format!("+++\nabstract = \"{marker}\"\n"), 1);
        std::fs::write(&md, edited).expect("write paper");
        let (wall, cpu0) = (Instant::now(), cpu());
        let mut first = None;
        let update = session
            .apply(std::slice::from_ref(&md), &mut |_| {
                first = Some((wall.elapsed(), cpu() - cpu0));
            })
            .unwrap_or_else(|e| panic!("{e}"));
        let (w, c) = first.expect("the edited page was published first");
        first_wall.push(w);
        first_cpu.push(c);
        all_wall.push(wall.elapsed());
        all_cpu.push(cpu() - cpu0);
        assert!(update.rendered.len() < 16, "{:?}", update.rendered);
    }
    std::fs::write(&md, original).expect("restore paper");
    println!(
        "edited page published: median {:.0} ms wall, {:.0} ms CPU; every listing consistent: median {:.0} ms wall, {:.0} ms CPU ({runs} edits)",
        median(first_wall),
        median(first_cpu),
        median(all_wall),
        median(all_cpu)
    );
}
