//! The "writing the same files, nothing else" baseline of the benchmarks: reads a built site
//! into memory, then times writing exactly those files (same paths, same bytes, in parallel on
//! all cores, folders created as needed) into a fresh folder.
//!
//! ```sh
//! cargo run --release --example write_baseline -- SITE_DIR OUT_DIR
//! ```

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

fn collect(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, root, out)?;
        } else {
            let rel = path
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or_default();
            out.push((rel, fs::read(&path)?));
        }
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, out] = args.as_slice() else {
        eprintln!("usage: write_baseline SITE_DIR OUT_DIR");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    collect(Path::new(site), Path::new(site), &mut files)?;
    let _ = fs::remove_dir_all(out);
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let start = Instant::now();
    files.par_iter().try_for_each(|(rel, data)| {
        let path = Path::new(out).join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, data)
    })?;
    let elapsed = start.elapsed();
    println!(
        "{} files, {} bytes written in {:.1} ms",
        files.len(),
        bytes,
        elapsed.as_secs_f64() * 1000.0
    );
    Ok(())
}
