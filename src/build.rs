//! One build, start to finish: settings → profile + content + theme → site model → pages →
//! output (swapped in atomically, or kept in memory for `check` and `serve`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::base::diag::{Diagnostic, Result};
use crate::base::progress::Progress;
use crate::load::content;
use crate::load::profile;
use crate::load::settings::{CONFIG_FILE, Settings, key_location};
use crate::load::sources;
use crate::model::{self, Site};
use crate::publish::guard;
use crate::publish::output::{Sink, Staging};
use crate::render;
use crate::render::theme::Theme;

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    /// Files written.
    pub files: usize,
    /// Papers built.
    pub papers: usize,
    /// Warnings (the site was built anyway).
    pub warnings: Vec<Diagnostic>,
    /// What `-v` adds to the warnings: every use of an undefined macro (the warnings hold
    /// their summary).
    pub details: Vec<Diagnostic>,
    /// Wall time.
    pub elapsed: Duration,
    /// Where the site is.
    pub output: PathBuf,
    /// The site model and rendering's working data, freed with the report.
    leftovers: Leftovers,
}

/// What a build leaves in memory.
struct Leftovers {
    _site: Site,
    _retained: render::Retained,
}

impl std::fmt::Debug for Leftovers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Leftovers")
    }
}

impl Report {
    /// Skips freeing the build's memory: for a process about to exit, where freeing a
    /// 10,000-paper site's values is tens of milliseconds of work for nothing.
    pub fn exit_without_freeing(self) {
        std::mem::forget(self.leftovers);
    }
}

impl Report {
    /// `Built 38 files (30 papers) in 12 ms with 1 warning → public/`.
    pub fn summary(&self) -> String {
        let ms = self.elapsed.as_secs_f64() * 1000.0;
        let warnings = match self.warnings.len() {
            0 => String::new(),
            1 => " with 1 warning".to_string(),
            n => format!(" with {n} warnings"),
        };
        format!(
            "Built {} files ({} papers) in {ms:.0} ms{warnings} → {}",
            self.files,
            self.papers,
            self.output.display()
        )
    }
}

/// A site rendered into a sink.
pub struct Rendered {
    /// The model it was rendered from.
    pub site: Site,
    /// Files written.
    pub files: usize,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Rendering's working data.
    pub retained: render::Retained,
}

/// Builds the site described by `settings` into `settings.output_dir`, atomically, if the
/// output guard allows (see `publish/guard/`).
pub fn build(settings: &Settings) -> Result<Report> {
    build_with(settings, &Progress::hidden())
}

/// [`build`], reporting its stages and files written to `progress`.
pub fn build_with(settings: &Settings, progress: &Progress) -> Result<Report> {
    on_workers(|| build_on_workers(settings, progress))
}

/// Runs `f` on a thread of rayon's pool, the calling thread waiting. A build on the main
/// thread is a third busy thread beside the pool's (one per core), and the workers' search
/// for work competes with its sequential stretches: on 2 cores the 30-paper example built in
/// 12.8 ms from the main thread, 10.8 ms from a worker (mean of 60 runs, same machine).
pub fn on_workers<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    rayon::scope(|_| f())
}

fn build_on_workers(settings: &Settings, progress: &Progress) -> Result<Report> {
    let start = Instant::now();
    let mut watch = crate::base::timings::Stopwatch::start();
    let target = guard::locate(settings)?;
    let staging = Staging::new(&target, settings.force)?;
    watch.lap("check output");
    let (rendered, ()) = rayon::join(
        || render_into_with(settings, &staging, progress),
        || staging.judge_ahead(),
    );
    let rendered = rendered?;
    progress.stage("replacing the previous output");
    let mut watch = crate::base::timings::Stopwatch::start();
    let committed = staging
        .commit()
        .map_err(|e| e.with_warnings(rendered.warnings.clone()))?;
    watch.lap("swap output");
    let mut warnings = rendered.warnings;
    warnings.extend(committed.warnings(&target));
    Ok(Report {
        files: rendered.files,
        papers: rendered.site.papers.len(),
        warnings,
        details: rendered.site.undefined.uses(),
        elapsed: start.elapsed(),
        output: settings.output_dir.clone(),
        leftovers: Leftovers {
            _site: rendered.site,
            _retained: rendered.retained,
        },
    })
}

/// A site loaded and assembled, with its theme, ready to render.
pub struct Loaded {
    /// The site model.
    pub site: Site,
    /// The theme, templates compiled.
    pub theme: Theme,
    /// Warnings so far.
    pub warnings: Vec<Diagnostic>,
}

/// Loads everything and renders the site into `sink`.
pub fn render_into(settings: &Settings, sink: &dyn Sink) -> Result<Rendered> {
    render_into_with(settings, sink, &Progress::hidden())
}

/// [`render_into`], reporting its stages and files written to `progress`.
pub fn render_into_with(
    settings: &Settings,
    sink: &dyn Sink,
    progress: &Progress,
) -> Result<Rendered> {
    let Loaded {
        mut site,
        mut theme,
        warnings,
    } = load_with(settings, progress)?;
    site.forget_sources();
    // The sources' text, the drafts and what merging them made are freed now.
    crate::base::memory::release_free();
    progress.stage("writing pages");
    let report = render::render_site(settings, &mut theme, &site, &Counted { sink, progress })
        .map_err(|e| e.with_warnings(warnings.clone()))?;
    Ok(Rendered {
        site,
        files: report.written,
        warnings,
        retained: report.retained,
    })
}

/// Loads the profile, content and theme (in parallel) and assembles the site model.
pub fn load(settings: &Settings) -> Result<Loaded> {
    load_with(settings, &Progress::hidden())
}

fn load_with(settings: &Settings, progress: &Progress) -> Result<Loaded> {
    progress.stage("reading the sources");
    let mut watch = crate::base::timings::Stopwatch::start();
    // The theme's templates compile while the sources are read and the model is assembled
    // (the model does not need them): on a small site compiling is half of the work before
    // the pages.
    let (theme, sources) = rayon::join(
        || Theme::load(settings),
        || -> Result<_> {
            let ((profile, bib), content) = rayon::join(
                || rayon::join(|| load_profile(settings), || sources::load(settings)),
                || content::load(&settings.root),
            );
            let mut warnings = Vec::new();
            let profile = collect(profile, &mut warnings)?;
            let bib = collect(bib, &mut warnings)?;
            let content = collect(content, &mut warnings)?;
            progress.stage("rendering papers");
            let assembled = model::assemble(settings, profile.as_ref(), &bib, &content, None);
            Ok((warnings, content, assembled))
        },
    );
    // Errors are reported in the order of the stages: the sources, the theme, the pages'
    // templates, the model.
    let (mut warnings, content, assembled) = sources?;
    let theme = theme.map_err(|e| e.with_warnings(warnings.clone()))?;
    check_page_templates(&content, &theme).map_err(|e| e.with_warnings(warnings.clone()))?;
    watch.lap("load and assemble");
    let (site, w, _) = assembled.map_err(|e| e.with_warnings(warnings.clone()))?;
    warnings.extend(w);
    warnings.extend(render::lint::check(settings, &theme, &site));
    watch.lap("lint");
    Ok(Loaded {
        site,
        theme,
        warnings,
    })
}

fn load_profile(settings: &Settings) -> Result<(Option<profile::Profile>, Vec<Diagnostic>)> {
    match &settings.profile {
        Some(src) if !src.path.exists() => {
            let config = settings.root.join(CONFIG_FILE);
            let text = std::fs::read_to_string(&config).unwrap_or_default();
            Err(Diagnostic::error(format!(
                "the profile `{}` does not exist",
                src.shown.display()
            ))
            .at(key_location(&config, &text, "source"))
            .hint("fix `source` under [profile], or paste the scraped profile into that file")
            .into())
        }
        Some(src) => {
            let (p, w) = profile::load(&src.path, &src.shown, src.as_of)?;
            Ok((Some(p), w))
        }
        None => Ok((None, Vec::new())),
    }
}

/// A page's `template = "…"` must name a template the theme or the site has: said here, at
/// the page's own line, rather than while rendering.
fn check_page_templates(content: &content::Content, theme: &Theme) -> Result<()> {
    let errors: Vec<Diagnostic> = content
        .pages
        .iter()
        .filter_map(|page| {
            let name = page.doc.matter.template.as_deref()?;
            (!theme.tera.contains_template(name)).then(|| {
                Diagnostic::error(format!("template `{name}` not found"))
                    .at(page.doc.key_location("template"))
                    .hint(format!(
                        "add templates/{name} to the site, or remove the key to use page.html"
                    ))
            })
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

/// A sink that tells `progress` about every file it passes on.
struct Counted<'a> {
    sink: &'a dyn Sink,
    progress: &'a Progress,
}

impl Sink for Counted<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.sink.write(rel, bytes)?;
        self.progress.file_written();
        Ok(())
    }

    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        self.sink.write_with(rel, fill)?;
        self.progress.file_written();
        Ok(())
    }

    fn copy(&self, rel: &str, from: &std::path::Path) -> Result<()> {
        self.sink.copy(rel, from)?;
        self.progress.file_written();
        Ok(())
    }
}

/// Unwraps a stage's result, moving its warnings into `warnings` (and keeping the earlier
/// warnings with its error).
fn collect<T>(result: Result<(T, Vec<Diagnostic>)>, warnings: &mut Vec<Diagnostic>) -> Result<T> {
    match result {
        Ok((value, w)) => {
            warnings.extend(w);
            Ok(value)
        }
        Err(e) => Err(e.with_warnings(warnings.clone())),
    }
}
