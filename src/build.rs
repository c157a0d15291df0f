//! One build, start to finish: settings → profile + content + theme → site model → pages →
//! output swapped in atomically.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::content;
use crate::diag::{Diagnostic, Result};
use crate::output::Staging;
use crate::profile;
use crate::render;
use crate::settings::{CONFIG_FILE, Settings, key_location};
use crate::site;
use crate::theme::Theme;

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    /// Files written.
    pub files: usize,
    /// Papers built.
    pub papers: usize,
    /// Warnings (the site was built anyway).
    pub warnings: Vec<Diagnostic>,
    /// Wall time.
    pub elapsed: Duration,
    /// Where the site is.
    pub output: PathBuf,
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

/// Builds the site described by `settings` into `settings.output_dir`.
pub fn build(settings: &Settings) -> Result<Report> {
    let start = Instant::now();
    let (profile, (content, theme)) = rayon::join(
        || load_profile(settings),
        || rayon::join(|| content::load(&settings.root), || Theme::load(settings)),
    );
    let mut warnings = Vec::new();
    let profile = collect(profile, &mut warnings)?;
    let content = collect(content, &mut warnings)?;
    let mut theme = theme.map_err(|e| e.with_warnings(warnings.clone()))?;
    check_page_templates(&content, &theme).map_err(|e| e.with_warnings(warnings.clone()))?;
    let (site, w) = site::assemble(settings, profile.as_ref(), &content)
        .map_err(|e| e.with_warnings(warnings.clone()))?;
    warnings.extend(w);
    let staging =
        Staging::new(&settings.output_dir).map_err(|e| e.with_warnings(warnings.clone()))?;
    let files = render::render_site(settings, &mut theme, &site, &staging)
        .map_err(|e| e.with_warnings(warnings.clone()))?;
    staging
        .commit()
        .map_err(|e| e.with_warnings(warnings.clone()))?;
    Ok(Report {
        files,
        papers: site.papers.len(),
        warnings,
        elapsed: start.elapsed(),
        output: settings.output_dir.clone(),
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
