//! A build that stays in memory and rebuilds only what changed, for `serve` and
//! `build --watch`.
//!
//! The session keeps every stage's result (profile, content, theme, rendered papers, output
//! files). A change to one paper's Markdown re-reads that file, re-renders that paper's TeX and
//! Markdown, and re-renders its page and the listings that show it; a template change re-renders
//! pages without re-reading content; a static file is copied; `config.toml` starts over.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::base::diag::{Diagnostic, Error, Result};
use crate::load::content::{self, Content};
use crate::load::profile::{self, Profile};
use crate::load::settings::{Overrides, Settings};
use crate::load::sources::{self, Bibliography};
use crate::model::{self, PaperCache, Site};
use crate::publish::output::Memory;
use crate::render::theme::Theme;
use crate::render::{self, Selection};

/// What a source path is to the site.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    Config,
    Profile,
    Sources,
    Content(PathBuf),
    Templates,
    Static(PathBuf),
}

/// The result of applying changes.
#[derive(Debug)]
pub struct Update {
    /// Output paths that changed (written or removed).
    pub changed: Vec<String>,
    /// True when only stylesheets changed: browsers can swap them without reloading.
    pub css_only: bool,
    /// Warnings of the current site.
    pub warnings: Vec<Diagnostic>,
    /// How long the rebuild took.
    pub elapsed: Duration,
}

/// A site kept in memory between rebuilds.
pub struct Session {
    root: PathBuf,
    overrides: Overrides,
    settings: Settings,
    profile: Option<Profile>,
    bib: Bibliography,
    content: Content,
    theme: Theme,
    cache: PaperCache,
    /// Paper values and citation entries of the last render, for one theme.
    outputs: render::RenderCache,
    site: Site,
    fingerprints: Fingerprints,
    files: BTreeMap<String, Vec<u8>>,
    /// Warnings about the profile and the bibliography files, kept until they change.
    profile_warnings: Vec<Diagnostic>,
    bib_warnings: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Files whose last change failed to load; they are retried on every rebuild.
    broken: BTreeMap<PathBuf, Error>,
    /// A change of config.toml failed to build: the settings in force are the old ones, so the
    /// next change of any source starts over from config.toml rather than rebuild with them.
    config_pending: bool,
}

/// What decides which pages a change touches.
#[derive(Debug, Default, PartialEq, Eq)]
struct Fingerprints {
    /// Everything every page shows: owner, stats, categories, pages, bio.
    global: u64,
    /// Per paper slug: its rendered content and citation key.
    papers: HashMap<String, u64>,
    /// Per paper slug: the slugs of its categories.
    categories: HashMap<String, Vec<String>>,
}

impl Session {
    /// Loads and renders the whole site into memory.
    pub fn start(root: &Path, overrides: &Overrides) -> Result<Session> {
        let settings = Settings::load(root, overrides)?;
        let (profile, profile_warnings) = load_profile(&settings)?;
        let mut warnings = profile_warnings.clone();
        let (bib, bib_warnings) =
            sources::load(&settings).map_err(|e| e.with_warnings(warnings.clone()))?;
        warnings.extend(bib_warnings.iter().cloned());
        let (content, w) =
            content::load(&settings.root).map_err(|e| e.with_warnings(warnings.clone()))?;
        warnings.extend(w);
        let theme = Theme::load(&settings)?;
        let (site, w, cache) = model::assemble(
            &settings,
            profile.as_ref(),
            &bib,
            &content,
            Some(&PaperCache::default()),
        )?;
        warnings.extend(w);
        warnings.extend(render::lint::check(&settings, &theme, &site));
        let mut session = Session {
            root: root.to_path_buf(),
            overrides: overrides.clone(),
            settings,
            profile,
            bib,
            content,
            theme,
            cache,
            outputs: render::RenderCache::default(),
            site,
            fingerprints: Fingerprints::default(),
            files: BTreeMap::new(),
            profile_warnings,
            bib_warnings,
            warnings,
            broken: BTreeMap::new(),
            config_pending: false,
        };
        session.render(&Selection::All)?;
        session.fingerprints = session.fingerprint();
        Ok(session)
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The site's files, by output path.
    pub fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.files
    }

    /// Warnings of the current site (TeX problems, duplicates …).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Applies changed source paths (absolute or relative to where the tool runs). On error the
    /// previous site stays in place and the error is returned.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Update> {
        let start = Instant::now();
        let mut changes = self.classify(paths);
        if self.config_pending && !paths.is_empty() {
            // Whatever changed (a theme folder the new config names, say), the old settings
            // no longer describe the site.
            changes = vec![Change::Config];
        }
        if changes.is_empty() {
            return Ok(Update {
                changed: Vec::new(),
                css_only: false,
                warnings: Vec::new(),
                elapsed: start.elapsed(),
            });
        }
        if changes.contains(&Change::Config) {
            let fresh = Session::start(&self.root, &self.overrides).inspect_err(|_| {
                self.config_pending = true;
            })?;
            let changed = diff(&self.files, &fresh.files);
            *self = fresh;
            return Ok(Update {
                changed,
                css_only: false,
                warnings: self.warnings.clone(),
                elapsed: start.elapsed(),
            });
        }
        let statics: Vec<&PathBuf> = changes
            .iter()
            .filter_map(|c| {
                if let Change::Static(p) = c {
                    Some(p)
                } else {
                    None
                }
            })
            .collect();
        // Edits of known static files are copied; new, removed or folder changes re-list them.
        let known = |p: &PathBuf| {
            p.is_file()
                && self
                    .theme
                    .statics
                    .iter()
                    .any(|s| absolute(&s.shown) == absolute(p))
        };
        let only_statics = statics.len() == changes.len() && statics.iter().all(|p| known(p));
        if only_statics {
            let changed = self.copy_statics(&statics)?;
            let css_only = !changed.is_empty() && changed.iter().all(|r| r.ends_with(".css"));
            return Ok(Update {
                changed,
                css_only,
                warnings: Vec::new(),
                elapsed: start.elapsed(),
            });
        }
        if changes.contains(&Change::Profile) {
            let (profile, w) = load_profile(&self.settings)?;
            self.profile = profile;
            self.profile_warnings = w;
        }
        if changes.contains(&Change::Sources) {
            let (bib, w) = sources::load(&self.settings)?;
            self.bib = bib;
            self.bib_warnings = w;
        }
        let mut warnings = self.profile_warnings.clone();
        warnings.extend(self.bib_warnings.iter().cloned());
        self.refresh_content(&changes)?;
        let templates = changes.contains(&Change::Templates) || !statics.is_empty();
        if templates {
            self.theme = Theme::load(&self.settings)?;
            // Listing items come from the templates: nothing rendered before is valid.
            self.outputs = render::RenderCache::default();
        }
        let mut watch = crate::base::timings::Stopwatch::start();
        let (site, w, cache) = model::assemble(
            &self.settings,
            self.profile.as_ref(),
            &self.bib,
            &self.content,
            Some(&self.cache),
        )?;
        watch.lap("assemble (cached)");
        warnings.extend(w);
        warnings.extend(render::lint::check(&self.settings, &self.theme, &site));
        let previous = std::mem::replace(&mut self.site, site);
        let fingerprints = self.fingerprint();
        watch.lap("fingerprints");
        let selection = if templates
            || !statics.is_empty()
            || fingerprints.global != self.fingerprints.global
        {
            Selection::All
        } else {
            self.selection(&fingerprints)
        };
        let changed = match self.render(&selection) {
            Ok(changed) => changed,
            Err(e) => {
                self.site = previous;
                return Err(e);
            }
        };
        watch.lap("render selection");
        self.cache = cache;
        self.fingerprints = fingerprints;
        self.warnings = warnings.clone();
        Ok(Update {
            changed,
            css_only: false,
            warnings,
            elapsed: start.elapsed(),
        })
    }

    /// Re-reads changed content files; files that fail are remembered and retried.
    fn refresh_content(&mut self, changes: &[Change]) -> Result<()> {
        let mut paths: BTreeSet<PathBuf> = self.broken.keys().cloned().collect();
        paths.extend(changes.iter().filter_map(|c| {
            if let Change::Content(p) = c {
                Some(p.clone())
            } else {
                None
            }
        }));
        self.broken.clear();
        for path in paths {
            if let Err(e) = self.content.refresh(&self.settings.root, &path) {
                self.broken.insert(path, e);
            }
        }
        match self.broken.values().next() {
            Some(_) => Err(self
                .broken
                .values()
                .flat_map(|e| e.diagnostics.clone())
                .collect::<Vec<_>>()
                .into()),
            None => Ok(()),
        }
    }

    /// Renders the selected outputs, then (only if all went well) puts them into the
    /// in-memory site and drops outputs that no longer exist. Returns the paths that changed.
    fn render(&mut self, selection: &Selection) -> Result<Vec<String>> {
        // Big files (listings) are written into buffers of their previous size.
        let memory = Memory::expecting(
            self.files
                .iter()
                .filter(|(_, bytes)| bytes.len() > 1 << 20)
                .map(|(rel, bytes)| (rel.clone(), bytes.len()))
                .collect(),
        );
        let report = render::render_site(
            &self.settings,
            &mut self.theme,
            &self.site,
            &memory,
            selection,
            Some(&mut self.outputs),
        )?;
        let mut changed = Vec::new();
        for (rel, bytes) in memory.into_files() {
            if self.files.get(&rel) != Some(&bytes) {
                changed.push(rel.clone());
                self.files.insert(rel, bytes);
            }
        }
        let gone: Vec<String> = self
            .files
            .keys()
            .filter(|rel| !report.outputs.contains(*rel))
            .cloned()
            .collect();
        for rel in gone {
            self.files.remove(&rel);
            changed.push(rel);
        }
        Ok(changed)
    }

    /// The pages a change of papers touches: their own pages, and the listings that show them.
    fn selection(&self, next: &Fingerprints) -> Selection {
        let mut papers: HashSet<String> = HashSet::new();
        for (slug, fp) in &next.papers {
            if self.fingerprints.papers.get(slug) != Some(fp) {
                papers.insert(slug.clone());
            }
        }
        let removed: Vec<&String> = self
            .fingerprints
            .papers
            .keys()
            .filter(|s| !next.papers.contains_key(*s))
            .collect();
        let mut pages: HashSet<String> = papers
            .iter()
            .map(|s| format!("papers/{s}/index.html"))
            .collect();
        if !papers.is_empty() || !removed.is_empty() {
            pages.extend(
                [
                    "index.html",
                    "papers/index.html",
                    "categories/index.html",
                    "coauthors/index.html",
                ]
                .map(String::from),
            );
            for slug in papers.iter().chain(removed) {
                for map in [&self.fingerprints.categories, &next.categories] {
                    for c in map.get(slug).into_iter().flatten() {
                        pages.insert(format!("categories/{c}/index.html"));
                    }
                }
            }
        }
        Selection::Only { pages, papers }
    }

    fn fingerprint(&self) -> Fingerprints {
        let site = &self.site;
        let mut h = std::hash::DefaultHasher::new();
        format!(
            "{:?}{:?}{:?}{:?}",
            site.owner, site.stats, site.as_of, site.primary_category
        )
        .hash(&mut h);
        for g in &site.categories {
            (&g.category.slug, &g.category.name, g.papers.len()).hash(&mut h);
        }
        for p in &site.pages {
            (&p.rel, &p.title, &p.html, &p.template).hash(&mut h);
        }
        (
            &site.bio_html,
            site.papers.len(),
            site.papers.iter().filter(|p| p.selected).count(),
        )
            .hash(&mut h);
        format!("{:?}", site.news).hash(&mut h);
        let mut papers = HashMap::with_capacity(site.papers.len());
        let mut categories = HashMap::with_capacity(site.papers.len());
        for (p, key) in site.papers.iter().zip(&site.citation_keys) {
            papers.insert(p.slug.clone(), render::output_key(p, key));
            categories.insert(
                p.slug.clone(),
                p.categories.iter().map(|c| c.slug.clone()).collect(),
            );
        }
        Fingerprints {
            global: h.finish(),
            papers,
            categories,
        }
    }

    /// Copies changed static files into the site (a theme file a site file replaces is not
    /// among the theme's statics).
    fn copy_statics(&mut self, paths: &[&PathBuf]) -> Result<Vec<String>> {
        let mut changed = Vec::new();
        for path in paths {
            let abs = absolute(path);
            let Some(entry) = self
                .theme
                .statics
                .iter()
                .find(|s| absolute(&s.shown) == abs)
            else {
                continue;
            };
            let bytes =
                std::fs::read(path.as_path()).map_err(|e| Diagnostic::io("read", path, &e))?;
            if self.files.get(&entry.rel) != Some(&bytes) {
                self.files.insert(entry.rel.clone(), bytes);
                changed.push(entry.rel.clone());
            }
        }
        Ok(changed)
    }

    /// Sorts source paths into changes; paths the site does not use are dropped.
    /// Whether `abs` is the site's preamble or a paper's.
    fn is_preamble(&self, abs: &Path) -> bool {
        let site = self.settings.math.preamble_file.iter();
        let papers = self
            .content
            .papers
            .iter()
            .filter_map(|p| p.matter.preamble_file.as_ref());
        site.chain(papers).any(|p| absolute(&p.shown) == abs)
    }

    fn classify(&self, paths: &[PathBuf]) -> Vec<Change> {
        let root = absolute(&self.settings.root);
        let mut out = Vec::new();
        for path in paths {
            let abs = absolute(path);
            let Ok(rel) = abs.strip_prefix(&root) else {
                continue;
            };
            if rel
                .components()
                .any(|c| content::is_ignored_name(&c.as_os_str().to_string_lossy()))
            {
                continue;
            }
            let shown = self.settings.root.join(rel);
            let theme_dir = Path::new("themes").join(&self.settings.theme);
            let profile = self.settings.profile.as_ref().map(|p| absolute(&p.path));
            let change =
                if rel == Path::new(crate::load::settings::CONFIG_FILE) || self.is_preamble(&abs) {
                    // A preamble's macros reach every paper that uses it: start over.
                    Change::Config
                } else if profile.as_deref() == Some(abs.as_path()) {
                    Change::Profile
                } else if self
                    .settings
                    .sources
                    .iter()
                    .any(|s| absolute(&s.path) == abs)
                {
                    Change::Sources
                } else if rel.starts_with(content::CONTENT_DIR) {
                    Change::Content(shown)
                } else if rel.starts_with("templates")
                    || rel.starts_with(theme_dir.join("templates"))
                    || rel == theme_dir.join("theme.toml")
                {
                    Change::Templates
                } else if rel.starts_with("static") || rel.starts_with(theme_dir.join("static")) {
                    Change::Static(shown)
                } else {
                    continue;
                };
            if !out.contains(&change) {
                out.push(change);
            }
        }
        out
    }
}

fn load_profile(settings: &Settings) -> Result<(Option<Profile>, Vec<Diagnostic>)> {
    match &settings.profile {
        Some(src) => profile::load(&src.path, &src.shown, src.as_of).map(|(p, w)| (Some(p), w)),
        None => Ok((None, Vec::new())),
    }
}

/// The absolute form of a path, without requiring it to exist.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    // A removed file: canonicalize its folder.
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// Output paths whose content differs between two sites.
fn diff(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut changed: Vec<String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    changed.extend(before.keys().filter(|k| !after.contains_key(*k)).cloned());
    changed
}
