//! A build that stays in memory and rebuilds only what changed, for `serve` and
//! `build --watch`.
//!
//! The session keeps every stage's result: the profile, the content, the theme, the site model
//! ([`Assembly`]), each paper's template value and data-file fragments ([`RenderCache`]), what
//! every page showed when it was last rendered (its fingerprint), and the output [`Files`].
//! A change re-runs only what it touches. An edited paper file is re-read and that paper alone
//! is patched into the model; then only the pages whose fingerprint changed are rendered: the
//! paper's own page first, published at once, then the listings that show it and the
//! site-wide data files (joins of cached fragments). A template change renders every page
//! without re-reading content; a static file is copied; `config.toml` starts over. A change
//! that fails leaves the site as it was, and is tried again with the next one.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use crate::base::diag::{Diagnostic, Result};
use crate::base::timings::Stopwatch;
use crate::load::content::Asset;
use crate::load::content::{self, Content};
use crate::load::profile::{self, Profile};
use crate::load::settings::{Overrides, Settings};
use crate::load::sources::{self, Bibliography};
use crate::model::{Assembly, Inputs, Paper, Site, Undo};
use crate::publish::output::Memory;
use crate::render::pages::Job;
use crate::render::theme::Theme;
use crate::render::{self, RenderCache, Rendering};

/// The site's files as served: output path → bytes. The session writes them (briefly locked,
/// once per published stage); the server reads them.
pub type Files = Arc<RwLock<BTreeMap<String, Arc<Vec<u8>>>>>;

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

/// The result of applying changes (or of the first of a rebuild's two stages).
#[derive(Debug, Default)]
pub struct Update {
    /// Output paths that changed (written or removed).
    pub changed: Vec<String>,
    /// Pages rendered (output paths), in the order they were published: the edited papers'
    /// own pages first, then the rest.
    pub rendered: Vec<String>,
    /// How many of `rendered` were published first, before the rest was rendered.
    pub first: usize,
    /// True when only stylesheets changed: browsers can swap them without reloading.
    pub css_only: bool,
    /// Warnings of the current site.
    pub warnings: Vec<Diagnostic>,
    /// How long the rebuild took.
    pub elapsed: Duration,
}

/// Changes read but not yet part of a good build: the last rebuild failed, and they are
/// applied again with the next change.
#[derive(Debug, Default)]
struct Pending {
    profile: bool,
    sources: bool,
    theme: bool,
    content: BTreeSet<PathBuf>,
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
    /// Counts theme loads: part of every page's fingerprint.
    theme_generation: u64,
    assembly: Assembly,
    /// Paper values and data-file fragments of the last render, for one theme.
    outputs: RenderCache,
    /// What each page showed when it was last rendered, by output path.
    pages: HashMap<String, u64>,
    /// What each site-wide data file was made from when it was last written, by name.
    data: HashMap<&'static str, u64>,
    files: Files,
    /// Warnings about the profile and the bibliography files, kept until they change.
    profile_warnings: Vec<Diagnostic>,
    bib_warnings: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    pending: Pending,
    /// A change of config.toml failed to build: the settings in force are the old ones, so the
    /// next change of any source starts over from config.toml rather than rebuild with them.
    config_pending: bool,
}

impl Session {
    /// Loads and renders the whole site, and publishes it into `files` (replacing what is
    /// there).
    pub fn start(root: &Path, overrides: &Overrides, files: Files) -> Result<Session> {
        Session::started(root, overrides, files).map(|(session, _)| session)
    }

    /// [`Session::start`], with what the publication changed.
    fn started(root: &Path, overrides: &Overrides, files: Files) -> Result<(Session, Update)> {
        let start = Instant::now();
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
        let inputs = Inputs {
            settings: &settings,
            profile: profile.as_ref(),
            bib: &bib,
            content: &content,
        };
        let assembly =
            Assembly::new(inputs, None).map_err(|e| e.with_warnings(warnings.clone()))?;
        warnings.extend(assembly.warnings());
        warnings.extend(render::lint::check(&settings, &theme, assembly.site()));
        let mut session = Session {
            root: root.to_path_buf(),
            overrides: overrides.clone(),
            settings,
            profile,
            bib,
            content,
            theme,
            theme_generation: 0,
            assembly,
            outputs: RenderCache::default(),
            pages: HashMap::new(),
            data: HashMap::new(),
            files,
            profile_warnings,
            bib_warnings,
            warnings: warnings.clone(),
            pending: Pending::default(),
            config_pending: false,
        };
        let mut update = session.render(None, true, &mut |_| {})?;
        update.warnings = warnings;
        update.elapsed = start.elapsed();
        Ok((session, update))
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The site's files, shared with whoever serves them.
    pub fn files(&self) -> &Files {
        &self.files
    }

    /// Warnings of the current site (TeX problems, duplicates …).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Applies changed source paths (absolute or relative to where the tool runs). The pages
    /// of edited papers are published first, and `first` is told about them; then the rest.
    /// On error the previous site stays in place and the error is returned; the change is
    /// tried again with the next one.
    pub fn apply(&mut self, paths: &[PathBuf], first: &mut dyn FnMut(&Update)) -> Result<Update> {
        let start = Instant::now();
        let mut changes = self.classify(paths);
        if self.config_pending && !paths.is_empty() {
            // Whatever changed (a theme folder the new config names, say), the old settings
            // no longer describe the site.
            changes = vec![Change::Config];
        }
        if changes.is_empty() && !self.pending.any() {
            return Ok(Update {
                elapsed: start.elapsed(),
                ..Update::default()
            });
        }
        if changes.contains(&Change::Config) {
            let (fresh, update) =
                Session::started(&self.root, &self.overrides, Arc::clone(&self.files))
                    .inspect_err(|_| self.config_pending = true)?;
            *self = fresh;
            return Ok(Update {
                elapsed: start.elapsed(),
                ..update
            });
        }
        let statics: Vec<&PathBuf> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Static(p) => Some(p),
                _ => None,
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
        if !self.pending.any() && statics.len() == changes.len() && statics.iter().all(|p| known(p))
        {
            let changed = self.copy_statics(&statics)?;
            let css_only = !changed.is_empty() && changed.iter().all(|r| r.ends_with(".css"));
            return Ok(Update {
                changed,
                css_only,
                elapsed: start.elapsed(),
                ..Update::default()
            });
        }
        for change in &changes {
            match change {
                Change::Profile => self.pending.profile = true,
                Change::Sources => self.pending.sources = true,
                Change::Content(p) => {
                    self.pending.content.insert(p.clone());
                }
                Change::Templates | Change::Static(_) => self.pending.theme = true,
                Change::Config => {}
            }
        }
        let mut watch = Stopwatch::start();
        let (undo, content_warnings) = self.reassemble()?;
        watch.lap("model");
        let statics = std::mem::take(&mut self.pending.theme);
        match self.render(Some(&undo), statics, first) {
            Ok(update) => {
                watch.lap("render");
                self.pending = Pending::default();
                let mut warnings = self.profile_warnings.clone();
                warnings.extend(self.bib_warnings.iter().cloned());
                warnings.extend(content_warnings);
                warnings.extend(self.assembly.warnings());
                let site = self.assembly.site();
                warnings.extend(render::lint::check(&self.settings, &self.theme, site));
                self.warnings = warnings.clone();
                Ok(Update {
                    warnings,
                    elapsed: start.elapsed(),
                    ..update
                })
            }
            Err(e) => {
                self.assembly.undo(undo);
                self.pending.theme |= statics;
                Err(e)
            }
        }
    }

    /// Loads what the pending changes touch (the profile, content files, the theme) and brings
    /// the site model up to date. Returns how to take the model back, and the content's loading
    /// warnings; on error the model is left as it was.
    fn reassemble(&mut self) -> Result<(Undo, Vec<Diagnostic>)> {
        if self.pending.profile {
            let (profile, w) = load_profile(&self.settings)?;
            self.profile = profile;
            self.profile_warnings = w;
        }
        if self.pending.sources {
            let (bib, w) = sources::load(&self.settings)?;
            self.bib = bib;
            self.bib_warnings = w;
        }
        let paths: Vec<PathBuf> = self.pending.content.iter().cloned().collect();
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        let mut reloaded = false;
        for path in &paths {
            reloaded |= path.is_dir();
            match self.content.refresh(&self.settings.root, path) {
                Ok(w) => warnings.extend(w),
                Err(e) => errors.extend(e.diagnostics),
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        if self.pending.theme {
            self.theme = Theme::load(&self.settings)?;
            self.theme_generation += 1;
            // Listing items come from the templates: nothing rendered before is valid.
            self.outputs = RenderCache::default();
        }
        let mut changes = self.assembly.changes(&self.content, &paths);
        changes.remerge |= self.pending.profile || self.pending.sources || reloaded;
        let inputs = Inputs {
            settings: &self.settings,
            profile: self.profile.as_ref(),
            bib: &self.bib,
            content: &self.content,
        };
        let undo = self.assembly.update(inputs, &changes)?;
        Ok((undo, warnings))
    }

    /// Renders the pages whose fingerprint changed (all of them on the first render): the
    /// changed papers' own pages first (when they are a few: an edit, not a new theme),
    /// published at once and reported to `first`; then the other pages and the data files
    /// (with the static files when `statics`), published together with the removal of outputs
    /// that no longer exist. If the second stage fails, the first is taken back. `previous` is
    /// the site of the last render.
    fn render(
        &mut self,
        previous: Option<&Undo>,
        statics: bool,
        first: &mut dyn FnMut(&Update),
    ) -> Result<Update> {
        let mut watch = Stopwatch::start();
        let site = self.assembly.site();
        let sizes: HashMap<String, usize> = read(&self.files)
            .iter()
            .filter(|(_, bytes)| bytes.len() > 1 << 20)
            .map(|(rel, bytes)| (rel.clone(), bytes.len()))
            .collect();
        let rendering = Rendering::new(
            &self.settings,
            &mut self.theme,
            site,
            Some(&mut self.outputs),
            &mut watch,
        )?;
        let edited: HashSet<&str> = match previous {
            Some(before) => changed_papers(before.papers(), before.keys(site), site),
            None => site.papers.iter().map(|p| p.slug.as_str()).collect(),
        };

        // First stage: the edited papers' own pages.
        let early: Vec<usize> = if previous.is_some() && edited.len() <= FIRST_STAGE {
            (0..site.papers.len())
                .filter(|&i| edited.contains(site.papers[i].slug.as_str()))
                .collect()
        } else {
            Vec::new()
        };
        let memory = Memory::new();
        let rendered = rendering.paper_pages(&memory, &early)?;
        let taken_back = publish(&self.files, memory.into_files(), &[]);
        let mut update = Update {
            changed: taken_back.iter().map(|(rel, _)| rel.clone()).collect(),
            first: rendered.len(),
            rendered,
            ..Update::default()
        };
        if !update.changed.is_empty() {
            first(&update);
        }
        watch.lap("first stage (edited pages)");

        // Second stage: the other pages whose fingerprint changed, the data files, and what no
        // longer exists.
        let second = rendering.plan().and_then(|rendering| {
            let fingerprints = rendering.fingerprints(self.theme_generation);
            let jobs = rendering.jobs();
            let done: HashSet<&str> = update.rendered.iter().map(String::as_str).collect();
            let stale: Vec<&str> = selection(jobs, &fingerprints, &self.pages)
                .into_iter()
                .map(|i| jobs[i].rel.as_str())
                .filter(|rel| !done.contains(rel))
                .collect();
            let todo: HashSet<&str> = stale.iter().copied().collect();
            let data_fingerprints = rendering.data_fingerprints();
            let due: HashSet<&str> = data_fingerprints
                .iter()
                .filter(|(name, fp)| self.data.get(name) != Some(fp))
                .map(|(name, _)| *name)
                .collect();
            let memory = Memory::expecting(sizes);
            let (pages, data) = rayon::join(
                || rendering.pages(&memory, &|j| todo.contains(j.rel.as_str())),
                || {
                    rendering.data_files(&memory, &|name| due.contains(name), &|p| {
                        edited.contains(p.slug.as_str())
                    })
                },
            );
            pages?;
            data?;
            let assets = previous.map(|before| before.assets(site));
            if statics || assets.is_none_or(|before| assets_changed(before, &site.assets)) {
                rendering.statics(&memory)?;
            }
            let outputs = rendering.outputs();
            let gone: Vec<String> = read(&self.files)
                .keys()
                .filter(|rel| !outputs.contains(rel.as_str()))
                .cloned()
                .collect();
            let stale: Vec<String> = stale.into_iter().map(str::to_string).collect();
            let pages: HashMap<String, u64> = jobs
                .iter()
                .zip(fingerprints)
                .map(|(j, fp)| (j.rel.clone(), fp))
                .collect();
            let data: HashMap<&'static str, u64> = data_fingerprints.into_iter().collect();
            Ok((memory.into_files(), gone, stale, (pages, data), rendering))
        });
        let (written, gone, stale, (pages, data), rendering) = match second {
            Ok(done) => done,
            Err(e) => {
                restore(&self.files, taken_back);
                return Err(e);
            }
        };
        let changed = publish(&self.files, written, &gone);
        update
            .changed
            .extend(changed.into_iter().map(|(rel, _)| rel));
        update.rendered.extend(stale);
        self.pages = pages;
        self.data = data;
        watch.lap("second stage (listings, data files)");
        // What rendering built is freed on the side: the browser waits for none of it.
        let retained = rendering.finish();
        std::thread::spawn(move || drop(retained));
        Ok(update)
    }

    /// Copies changed static files into the site (a theme file a site file replaces is not
    /// among the theme's statics).
    fn copy_statics(&mut self, paths: &[&PathBuf]) -> Result<Vec<String>> {
        let mut files = BTreeMap::new();
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
            files.insert(entry.rel.clone(), bytes);
        }
        Ok(publish(&self.files, files, &[])
            .into_iter()
            .map(|(rel, _)| rel)
            .collect())
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

impl Pending {
    fn any(&self) -> bool {
        self.profile || self.sources || self.theme || !self.content.is_empty()
    }
}

/// At most how many edited papers have their pages published before the rest.
const FIRST_STAGE: usize = 64;

/// The pages to render (indices into `jobs`): those whose fingerprint differs from the one
/// they had when last rendered, and new ones.
fn selection(jobs: &[Job], fingerprints: &[u64], last: &HashMap<String, u64>) -> Vec<usize> {
    jobs.iter()
        .zip(fingerprints)
        .enumerate()
        .filter(|(_, (job, fp))| last.get(&job.rel) != Some(*fp))
        .map(|(i, _)| i)
        .collect()
}

/// Slugs of the papers of `after` that are new or rendered differently than in `before`.
/// (Their citation files depend on both the paper and its key.)
fn changed_papers<'a>(before: &[Arc<Paper>], keys: &[String], after: &'a Site) -> HashSet<&'a str> {
    let old: HashMap<&str, (u64, &str)> = before
        .iter()
        .zip(keys)
        .map(|(p, k)| (p.slug.as_str(), (p.fingerprint, k.as_str())))
        .collect();
    after
        .papers
        .iter()
        .zip(&after.citation_keys)
        .filter(|(p, k)| old.get(p.slug.as_str()) != Some(&(p.fingerprint, k.as_str())))
        .map(|(p, _)| p.slug.as_str())
        .collect()
}

/// Whether the content's assets (files copied as they are) changed.
fn assets_changed(before: &[Asset], after: &[Asset]) -> bool {
    before.len() != after.len()
        || before
            .iter()
            .zip(after)
            .any(|(a, b)| a.rel != b.rel || a.path != b.path)
}

fn read(files: &Files) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Arc<Vec<u8>>>> {
    files.read().unwrap_or_else(PoisonError::into_inner)
}

/// Puts `written` into `files` where it differs and removes `gone`; returns what changed,
/// each with what it replaced (to take it back).
fn publish(
    files: &Files,
    written: BTreeMap<String, Vec<u8>>,
    gone: &[String],
) -> Vec<(String, Option<Arc<Vec<u8>>>)> {
    // Compared outside the write lock (only the session writes): requests wait only for the
    // swap.
    let differs: Vec<(String, Vec<u8>)> = {
        let current = read(files);
        written
            .into_iter()
            .filter(|(rel, bytes)| current.get(rel).is_none_or(|b| b.as_slice() != bytes))
            .collect()
    };
    let mut current = files.write().unwrap_or_else(PoisonError::into_inner);
    let mut changed = Vec::with_capacity(differs.len() + gone.len());
    for (rel, bytes) in differs {
        let before = current.insert(rel.clone(), Arc::new(bytes));
        changed.push((rel, before));
    }
    for rel in gone {
        if let Some(before) = current.remove(rel) {
            changed.push((rel.clone(), Some(before)));
        }
    }
    changed
}

/// Takes back a publication: every file as it was before.
fn restore(files: &Files, published: Vec<(String, Option<Arc<Vec<u8>>>)>) {
    let mut current = files.write().unwrap_or_else(PoisonError::into_inner);
    for (rel, before) in published {
        match before {
            Some(bytes) => current.insert(rel, bytes),
            None => current.remove(&rel),
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the repository's example site (config, profile, content) in a temp folder.
    fn example() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for entry in walkdir::WalkDir::new(repo.join("content"))
            .into_iter()
            .chain(walkdir::WalkDir::new(repo.join("seeds")))
            .chain(walkdir::WalkDir::new(repo.join("config.toml")))
        {
            let entry = entry.expect("walk");
            let to = dir
                .path()
                .join(entry.path().strip_prefix(repo).expect("inside"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("folder");
            } else {
                std::fs::copy(entry.path(), &to).expect("copy");
            }
        }
        dir
    }

    fn start(root: &Path) -> Session {
        Session::start(root, &Overrides::default(), Files::default())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn classify_sorts_paths_into_changes_and_drops_the_rest() {
        let site = example();
        let root = site.path();
        let session = start(root);
        let paper = root.join("content/papers/autorep.md");
        let css = root.join("static/custom.css");
        let paths = [
            root.join("config.toml"),
            root.join("seeds/profile.txt"),
            paper.clone(),
            paper.clone(),
            root.join("content/papers/.autorep.md.swp"),
            root.join("content/papers/autorep.md~"),
            root.join("templates/paper.html"),
            root.join("themes/default/templates/partials/news.html"),
            root.join("themes/default/theme.toml"),
            root.join("themes/other/templates/paper.html"),
            css.clone(),
            root.join("themes/default/static/site.js"),
            root.join("public/index.html"),
            root.join("README.md"),
            PathBuf::from("/somewhere/else/content/papers/x.md"),
        ];
        assert_eq!(
            session.classify(&paths),
            [
                Change::Config,
                Change::Profile,
                Change::Content(paper),
                Change::Templates,
                Change::Static(css),
                Change::Static(root.join("themes/default/static/site.js")),
            ]
        );
        // Each kind of template path on its own (above, one would hide another's miss).
        for rel in [
            "templates/paper.html",
            "themes/default/templates/partials/news.html",
            "themes/default/theme.toml",
        ] {
            assert_eq!(
                session.classify(&[root.join(rel)]),
                [Change::Templates],
                "{rel}"
            );
        }
        // A removed file is still classified (its folder exists).
        let gone = root.join("content/papers/removed.md");
        assert_eq!(
            session.classify(std::slice::from_ref(&gone)),
            [Change::Content(gone)]
        );
    }

    #[test]
    fn a_bibliography_file_of_the_sources_is_classified_as_sources() {
        let site = example();
        let root = site.path();
        std::fs::create_dir_all(root.join("refs")).expect("folder");
        std::fs::write(
            root.join("refs/more.bib"),
            "@article{k, title = {A Paper From a Bibliography}, author = {Doe, Jane}, year = {2020}}\n",
        )
        .expect("bib");
        let config = std::fs::read_to_string(root.join("config.toml")).expect("config");
        std::fs::write(
            root.join("config.toml"),
            format!("{config}\n[sources]\nfiles = [\"refs/more.bib\"]\n"),
        )
        .expect("config");
        let session = start(root);
        assert_eq!(
            session.classify(&[root.join("refs/more.bib")]),
            [Change::Sources]
        );
        assert_eq!(
            session.classify(&[root.join("refs/other.bib")]),
            [],
            "a file beside it that config.toml does not list is nothing"
        );
    }

    #[test]
    fn assets_change_with_their_list_names_or_places() {
        let asset = |rel: &str, path: &str| Asset {
            rel: rel.to_string(),
            path: PathBuf::from(path),
        };
        let before = [
            asset("a.png", "content/a.png"),
            asset("b.pdf", "content/b.pdf"),
        ];
        assert!(!assets_changed(&before, &before.clone()));
        assert!(assets_changed(&before, &before[..1]), "one fewer");
        assert!(assets_changed(&[], &before[..1]), "one more");
        let renamed = [
            asset("a.png", "content/a.png"),
            asset("c.pdf", "content/b.pdf"),
        ];
        assert!(assets_changed(&before, &renamed), "published elsewhere");
        let moved = [
            asset("a.png", "content/a.png"),
            asset("b.pdf", "content/x/b.pdf"),
        ];
        assert!(assets_changed(&before, &moved), "read from elsewhere");
    }

    /// The output paths `selection` picks after `change` is applied to the example site.
    fn selected_after(change: impl Fn(&Path), config: &str) -> Vec<String> {
        let site = example();
        let root = site.path();
        if !config.is_empty() {
            let path = root.join("config.toml");
            let text = std::fs::read_to_string(&path).expect("config");
            std::fs::write(&path, format!("{text}\n{config}")).expect("config");
        }
        let settings = Settings::load(root, &Overrides::default()).expect("settings");
        let mut theme = Theme::load(&settings).expect("theme");
        let fingerprints_of = |theme: &mut Theme| {
            let (profile, _) = load_profile(&settings).expect("profile");
            let (bib, _) = sources::load(&settings).expect("bibliography");
            let (content, _) = content::load(root).expect("content");
            let inputs = Inputs {
                settings: &settings,
                profile: profile.as_ref(),
                bib: &bib,
                content: &content,
            };
            let assembly = Assembly::new(inputs, None).expect("site");
            let rendering = Rendering::new(
                &settings,
                theme,
                assembly.site(),
                None,
                &mut Stopwatch::start(),
            )
            .and_then(Rendering::plan)
            .expect("rendering");
            let fps = rendering.fingerprints(0);
            let rels: Vec<String> = rendering.jobs().iter().map(|j| j.rel.clone()).collect();
            (rels, fps)
        };
        let (rels, fps) = fingerprints_of(&mut theme);
        let last: HashMap<String, u64> = rels.into_iter().zip(fps).collect();
        change(root);
        let settings_after = Settings::load(root, &Overrides::default()).expect("settings");
        assert_eq!(settings_after.listings, settings.listings);
        let (profile, _) = load_profile(&settings).expect("profile");
        let (bib, _) = sources::load(&settings).expect("bibliography");
        let (content, _) = content::load(root).expect("content");
        let inputs = Inputs {
            settings: &settings,
            profile: profile.as_ref(),
            bib: &bib,
            content: &content,
        };
        let assembly = Assembly::new(inputs, None).expect("site");
        let rendering = Rendering::new(
            &settings,
            &mut theme,
            assembly.site(),
            None,
            &mut Stopwatch::start(),
        )
        .and_then(Rendering::plan)
        .expect("rendering");
        let fps = rendering.fingerprints(0);
        let jobs = rendering.jobs();
        let mut picked: Vec<String> = selection(jobs, &fps, &last)
            .into_iter()
            .map(|i| jobs[i].rel.clone())
            .collect();
        picked.sort();
        picked
    }

    const AUTOREP: &str =
        "papers/autorep-automatic-relu-replacement-for-fast-private-network-inference/index.html";

    /// Gives autorep.md (a selected CR paper of 2023) a new abstract.
    fn new_abstract(root: &Path) {
        let path = root.join("content/papers/autorep.md");
        let text = std::fs::read_to_string(&path).expect("paper");
        let text = text.replacen("+++\n", "+++\nabstract = \"A new abstract 4242.\"\n", 1);
        std::fs::write(&path, text).expect("paper");
    }

    #[test]
    fn selection_is_the_edited_paper_and_the_listings_that_show_it() {
        assert_eq!(selected_after(|_| {}, ""), Vec::<String>::new());
        assert_eq!(
            selected_after(new_abstract, ""),
            [
                "categories/cr/index.html",
                "coauthors/index.html",
                "index.html",
                "papers/autorep-automatic-relu-replacement-for-fast-private-network-inference/index.html",
                "papers/index.html",
            ]
        );
        // Split listings: the year's page, the area's year page and the co-authors' year page;
        // the home page shows it among the selected papers.
        assert_eq!(
            selected_after(new_abstract, "[listings]\nmax_per_page = 4\n"),
            [
                "categories/cr/index.html",
                "coauthors/2023/index.html",
                "index.html",
                "papers/2023/index.html",
                AUTOREP,
            ]
        );
    }

    #[test]
    fn selection_of_a_date_change_is_the_listings_not_other_papers() {
        let picked = selected_after(
            |root| {
                let path = root.join("content/papers/autorep.md");
                let text = std::fs::read_to_string(&path).expect("paper");
                let text = text.replacen("+++\n", "+++\ndate = 2019-01-01\n", 1);
                std::fs::write(&path, text).expect("paper");
            },
            "",
        );
        assert!(picked.contains(&AUTOREP.to_string()), "{picked:?}");
        let papers: Vec<&String> = picked
            .iter()
            .filter(|p| p.starts_with("papers/") && p.matches('/').count() == 2)
            .collect();
        assert_eq!(papers, [AUTOREP], "no other paper's page");
        // Counts by year changed: every listing, no Markdown page.
        for listing in ["index.html", "papers/index.html", "categories/index.html"] {
            assert!(
                picked.contains(&listing.to_string()),
                "{listing}: {picked:?}"
            );
        }
        assert!(!picked.contains(&"404.html".to_string()));
    }

    #[test]
    fn an_abstract_edit_renders_its_page_first_then_the_listings_that_show_it() {
        let site = example();
        let root = site.path();
        let mut session = start(root);
        new_abstract(root);
        let mut first = Vec::new();
        let update = session
            .apply(&[root.join("content/papers/autorep.md")], &mut |u| {
                first.clone_from(&u.rendered);
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first, [AUTOREP], "published before the rest");
        assert_eq!(update.first, 1);
        let mut rendered = update.rendered.clone();
        assert_eq!(rendered[0], AUTOREP);
        rendered.sort();
        assert_eq!(
            rendered,
            [
                "categories/cr/index.html",
                "coauthors/index.html",
                "index.html",
                AUTOREP,
                "papers/index.html",
            ]
        );
        let files = read(session.files());
        let page = String::from_utf8_lossy(&files[AUTOREP]).into_owned();
        assert!(page.contains("A new abstract 4242."));
        for listing in [
            "index.html",
            "papers/index.html",
            "categories/cr/index.html",
        ] {
            assert!(String::from_utf8_lossy(&files[listing]).contains("A new abstract 4242."));
        }
        assert!(String::from_utf8_lossy(&files["search.json"]).contains("A new abstract 4242."));
        for joined in ["search.json", "papers.ris", "papers.json"] {
            assert!(update.changed.contains(&joined.to_string()), "{joined}");
        }
        assert!(
            !update.changed.contains(&"papers.bib".to_string()),
            "no abstract in BibTeX"
        );
    }

    #[test]
    fn an_edit_reports_the_warnings_of_the_site_it_makes() {
        let site = example();
        let root = site.path();
        let mut session = start(root);
        let paper = root.join("content/papers/autorep.md");
        let text = std::fs::read_to_string(&paper).expect("paper");
        let edited = text.replacen("arxiv = \"2308.10134\"", "arxiv = \"not-an-id\"", 1);
        assert_ne!(edited, text);
        std::fs::write(&paper, edited).expect("edit");
        let update = session
            .apply(std::slice::from_ref(&paper), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        let about_it = |w: &[Diagnostic]| {
            w.iter().any(|d| {
                d.message
                    .contains("`arxiv = \"not-an-id\"` is not an arXiv id")
            })
        };
        assert!(about_it(&update.warnings), "{:?}", update.warnings);
        assert!(about_it(session.warnings()));
        std::fs::write(&paper, text).expect("undo the edit");
        let update = session
            .apply(std::slice::from_ref(&paper), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !about_it(&update.warnings),
            "the warning goes with its cause"
        );
    }

    #[test]
    fn a_css_edit_renders_no_page() {
        let site = example();
        let root = site.path();
        std::fs::create_dir_all(root.join("static")).expect("static");
        std::fs::write(root.join("static/custom.css"), "a { color: red }").expect("css");
        let mut session = start(root);
        std::fs::write(root.join("static/custom.css"), "a { color: blue }").expect("css");
        let update = session
            .apply(&[root.join("static/custom.css")], &mut |_| {
                panic!("nothing is published early")
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(update.rendered.is_empty(), "{:?}", update.rendered);
        assert_eq!(update.changed, ["custom.css"]);
        assert!(update.css_only);
        assert_eq!(
            read(session.files())["custom.css"].as_slice(),
            b"a { color: blue }"
        );
    }

    /// The files of a fresh session on the same folder: what the incremental one must equal.
    fn fresh_files(root: &Path) -> BTreeMap<String, Arc<Vec<u8>>> {
        read(start(root).files()).clone()
    }

    #[test]
    fn edits_renames_and_deletions_leave_the_site_a_fresh_build_makes() {
        let site = example();
        let root = site.path();
        let mut session = start(root);
        let papers = root.join("content/papers");
        let apply = |session: &mut Session, paths: &[PathBuf]| {
            session
                .apply(paths, &mut |_| {})
                .unwrap_or_else(|e| panic!("{e}"))
        };
        // A new paper, then its date moved (it changes place in every list).
        let new = papers.join("new.md");
        std::fs::write(
            &new,
            "+++\ntitle = \"Brand New Result\"\ndate = 2026-11-01\nauthors = [\"Shaoyi Huang\"]\ncategories = [\"CV\"]\n+++\nBody.\n",
        )
        .expect("new");
        apply(&mut session, std::slice::from_ref(&new));
        std::fs::write(
            &new,
            "+++\ntitle = \"Brand New Result\"\ndate = 2021-03-01\nauthors = [\"Shaoyi Huang\"]\ncategories = [\"CV\"]\n+++\nBody.\n",
        )
        .expect("edit");
        apply(&mut session, std::slice::from_ref(&new));
        assert_eq!(*read(session.files()), fresh_files(root));
        // Renamed: the same paper from another file.
        let renamed = papers.join("renamed.md");
        std::fs::rename(&new, &renamed).expect("rename");
        let update = apply(&mut session, &[new.clone(), renamed.clone()]);
        assert!(
            !update
                .changed
                .iter()
                .any(|c| c.ends_with("index.html") && c.contains("brand-new")),
            "renaming the file changes no page: {:?}",
            update.changed
        );
        assert_eq!(*read(session.files()), fresh_files(root));
        // Deleted: its page and its place in the lists go.
        std::fs::remove_file(&renamed).expect("remove");
        let update = apply(&mut session, std::slice::from_ref(&renamed));
        assert!(
            update
                .changed
                .contains(&"papers/brand-new-result/index.html".to_string())
        );
        assert!(!read(session.files()).contains_key("papers/brand-new-result/index.html"));
        assert_eq!(*read(session.files()), fresh_files(root));
        // An enrichment file deleted: the profile paper stays, without its venue.
        std::fs::remove_file(papers.join("autorep.md")).expect("remove");
        apply(&mut session, &[papers.join("autorep.md")]);
        let page = String::from_utf8_lossy(&read(session.files())[AUTOREP]).into_owned();
        assert!(!page.contains("ICCV 2023"));
        assert_eq!(*read(session.files()), fresh_files(root));
    }

    #[test]
    fn a_broken_file_keeps_the_site_and_the_next_good_change_applies_both() {
        let site = example();
        let root = site.path();
        let mut session = start(root);
        let before = read(session.files()).clone();
        let broken = root.join("content/papers/broken.md");
        std::fs::write(&broken, "+++\ntitle = [\n+++\n").expect("broken");
        assert!(
            session
                .apply(std::slice::from_ref(&broken), &mut |_| {})
                .is_err()
        );
        assert_eq!(*read(session.files()), before, "the last good site stays");
        // Another edit while the broken file is still there: still an error, still the old site.
        new_abstract(root);
        let paper = root.join("content/papers/autorep.md");
        assert!(
            session
                .apply(std::slice::from_ref(&paper), &mut |_| {})
                .is_err()
        );
        assert_eq!(*read(session.files()), before);
        // The broken file deleted: the abstract edit made meanwhile is applied too.
        std::fs::remove_file(&broken).expect("remove");
        let update = session
            .apply(std::slice::from_ref(&broken), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(update.rendered.contains(&AUTOREP.to_string()));
        assert!(String::from_utf8_lossy(&read(session.files())[AUTOREP]).contains("4242"));
        assert_eq!(*read(session.files()), fresh_files(root));
    }
}
