//! A site model kept between rebuilds (`serve`, `build --watch`). [`Assembly`] remembers where
//! each paper came from (its profile paper and bibliography records, its content file), so
//! that a paper file edited in place is applied alone: the paper's draft is made again from
//! its sources and the file, rendered, and put in its place, instead of merging every paper
//! again. Anything else (a paper file added, removed, or now naming another paper; a file that
//! is a paper of its own; the profile, the bibliography, pages and news) assembles the site
//! anew, reusing every paper whose inputs did not change. Either way the site is the one a
//! full assembly makes (`tests` below compare them).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::assemble::{
    Merged, PaperCache, RenderedPaper, Renderer, apply, fail_on_errors, file_ids, file_key,
    merge_all, primary_category, site_of,
};
use super::groups::{group_categories, group_years};
use super::merge::draft_of;
use super::paper::SourceId;
use super::undefined::{UndefinedMacros, UndefinedUse};
use super::{Category, CategoryGroup, Paper, Site, YearGroup, checks, keys};
use crate::base::diag::{Diagnostic, Result, Severity};
use crate::load::content::{Asset, Content};
use crate::load::profile::Profile;
use crate::load::settings::Settings;
use crate::load::sources::Bibliography;

/// Where a paper came from.
#[derive(Debug, Clone)]
struct Source {
    /// Its place in merge order: papers of the same day keep it.
    order: usize,
    /// Its profile paper and bibliography records, in precedence order (none: a paper of its
    /// own, made by a content file).
    ids: Vec<SourceId>,
}

/// A site model with what it was made from, ready to be brought up to date.
pub struct Assembly {
    site: Site,
    /// Every paper rendered, with its warnings, by fingerprint.
    cache: PaperCache,
    /// Per paper slug (made by a full assembly, shared by its updates).
    sources: Arc<HashMap<String, Source>>,
    /// Content file → the slug of the paper it makes or enriches.
    by_file: Arc<HashMap<PathBuf, String>>,
    /// DOI or arXiv id (lowercase) → the slug of the first paper with it.
    by_id: Arc<HashMap<String, String>>,
    /// What rendering a paper needs.
    renderer: Arc<Renderer>,
    /// Warnings of the merge and its checks.
    merge_warnings: Vec<Diagnostic>,
    /// Warnings of the Markdown pages, biography and news.
    content_warnings: Vec<Diagnostic>,
    /// The undefined macros the pages, biography and news use.
    content_uses: Vec<UndefinedUse>,
}

/// What an [`Assembly::update`] replaced, to take it back.
pub struct Undo(Box<Before>);

impl Undo {
    /// The papers before the update.
    pub fn papers(&self) -> &[Arc<Paper>] {
        match &*self.0 {
            Before::Whole(a) => &a.site.papers,
            Before::Patched(p) => &p.papers,
        }
    }

    /// The citation keys before the update (in the order of [`Undo::papers`]).
    pub fn keys<'a>(&'a self, now: &'a Site) -> &'a [String] {
        match &*self.0 {
            Before::Whole(a) => &a.site.citation_keys,
            Before::Patched(p) => p.keys.as_ref().unwrap_or(&now.citation_keys),
        }
    }

    /// The content's assets before the update.
    pub fn assets<'a>(&'a self, now: &'a Site) -> &'a [Asset] {
        match &*self.0 {
            Before::Whole(a) => &a.site.assets,
            Before::Patched(_) => &now.assets,
        }
    }
}

/// What was there before an update (boxed in [`Undo`]).
#[allow(clippy::large_enum_variant)]
enum Before {
    /// The whole assembly (it was made anew).
    Whole(Assembly),
    /// Papers patched in.
    Patched(Patched),
}

/// What patching papers in replaced.
#[derive(Default)]
struct Patched {
    papers: Vec<Arc<Paper>>,
    groups: Option<(Vec<CategoryGroup>, Vec<YearGroup>, Option<Category>)>,
    undefined: UndefinedMacros,
    keys: Option<Vec<String>>,
    merge_warnings: Vec<Diagnostic>,
    added: Vec<u64>,
    removed: Vec<(u64, RenderedPaper)>,
}

/// What a patched paper changed besides itself.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Effect {
    /// Its date: it moves in the lists.
    moved: bool,
    /// Its categories: the groups by category change.
    regrouped: bool,
    /// What its citation key is made of.
    rekeyed: bool,
}

impl Effect {
    fn and(self, other: Effect) -> Effect {
        Effect {
            moved: self.moved || other.moved,
            regrouped: self.regrouped || other.regrouped,
            rekeyed: self.rekeyed || other.rekeyed,
        }
    }
}

/// What changed in `content/` since an assembly.
#[derive(Debug, Default, Clone)]
pub struct ContentChanges {
    /// Paper files edited in place (they were paper files and still are).
    pub papers: Vec<PathBuf>,
    /// Everything must be merged again: paper files added or removed, a folder, pages, the
    /// biography, news or assets (their paths are link targets), the profile or the
    /// bibliography.
    pub remerge: bool,
}

/// The sources a site is assembled from.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The settings in force.
    pub settings: &'a Settings,
    /// The scraped profile.
    pub profile: Option<&'a Profile>,
    /// The bibliography files' records.
    pub bib: &'a Bibliography,
    /// `content/`.
    pub content: &'a Content,
}

impl Assembly {
    /// Assembles the site anew; papers rendered for `previous` are reused.
    pub fn new(inputs: Inputs, previous: Option<&Assembly>) -> Result<Assembly> {
        let Inputs {
            settings,
            profile,
            bib,
            content,
        } = inputs;
        let Merged {
            owner,
            drafts,
            warnings,
            renderer,
            by_id,
        } = merge_all(settings, profile, bib, content)?;
        let mut sources = HashMap::with_capacity(drafts.len());
        let mut by_file = HashMap::new();
        for (order, d) in drafts.iter().enumerate() {
            let ids = d.sources.clone();
            sources.insert(d.slug.clone(), Source { order, ids });
            if let Some(f) = d.file {
                by_file.insert(f.shown.clone(), d.slug.clone());
            }
        }
        let empty = PaperCache::default();
        let previous = previous.map_or(&empty, |a| &a.cache);
        let (papers, cache) = renderer.render_all(drafts, Some(previous));
        let mut rendering_warnings = Vec::new();
        let mut uses = Vec::new();
        let papers = papers
            .into_iter()
            .map(|(p, w, u)| {
                rendering_warnings.extend(w);
                uses.extend(u);
                p
            })
            .collect();
        let (site, content_warnings, content_uses) =
            site_of(settings, profile, content, &renderer, owner, (papers, uses));
        // Broken `@/` links are errors: the site is not built with them.
        let all: Vec<Diagnostic> = warnings
            .iter()
            .chain(&rendering_warnings)
            .chain(&content_warnings)
            .cloned()
            .collect();
        fail_on_errors(all)?;
        Ok(Assembly {
            site,
            cache,
            sources: Arc::new(sources),
            by_file: Arc::new(by_file),
            by_id: Arc::new(by_id),
            renderer: Arc::new(renderer),
            merge_warnings: warnings,
            content_warnings,
            content_uses,
        })
    }

    /// The site model.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Every warning of the site: the merge's, each paper's (in merge order), the pages', and
    /// the summary of undefined macros.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut warnings = self.merge_warnings.clone();
        for (_, w, _) in self.rendered_in_merge_order() {
            warnings.extend(w.iter().cloned());
        }
        warnings.extend(self.content_warnings.iter().cloned());
        warnings.extend(self.site.undefined.summary());
        warnings
    }

    /// The site's papers as rendered, in merge order (the order warnings are reported in).
    fn rendered_in_merge_order(&self) -> Vec<&RenderedPaper> {
        let mut papers: Vec<(usize, &Arc<Paper>)> = self
            .site
            .papers
            .iter()
            .map(|p| (self.sources.get(&p.slug).map_or(usize::MAX, |s| s.order), p))
            .collect();
        papers.sort_unstable_by_key(|(order, _)| *order);
        papers
            .into_iter()
            .filter_map(|(_, p)| self.cache.papers.get(&p.fingerprint))
            .collect()
    }

    /// The undefined macros of the papers (in merge order) and the content, as a full
    /// assembly gathers them.
    fn undefined(&self) -> UndefinedMacros {
        let papers = self.rendered_in_merge_order();
        let uses = papers.into_iter().flat_map(|(_, _, u)| u.iter());
        UndefinedMacros::new(uses.chain(&self.content_uses).cloned())
    }

    /// How the files at `paths` changed between this assembly and `content` (which has them
    /// read again): paper files edited in place, or anything that needs a new merge.
    pub fn changes(&self, content: &Content, paths: &[PathBuf]) -> ContentChanges {
        let mut changes = ContentChanges::default();
        for path in paths {
            let merged = self.by_file.contains_key(path);
            let now = content.papers.iter().any(|f| &f.shown == path);
            if merged && now {
                changes.papers.push(path.clone());
            } else {
                changes.remerge = true;
            }
        }
        changes
    }

    /// Brings the site up to date after `changes`: edited paper files are applied one by
    /// one where they still name the same paper, else the site is assembled anew (reusing
    /// every unchanged paper). On error the assembly is left as it was; on success, what it
    /// was can be had back with [`Assembly::undo`].
    pub fn update(&mut self, inputs: Inputs, changes: &ContentChanges) -> Result<Undo> {
        if changes.remerge {
            return self.replace(inputs);
        }
        let mut undo = Patched {
            papers: self.site.papers.clone(),
            merge_warnings: self.merge_warnings.clone(),
            undefined: self.site.undefined.clone(),
            ..Patched::default()
        };
        let mut effect = Effect::default();
        for path in &changes.papers {
            match self.patch(inputs, path, &mut undo) {
                Some(e) => effect = effect.and(e),
                None => {
                    self.undo(Undo(Box::new(Before::Patched(undo))));
                    return self.replace(inputs);
                }
            }
        }
        self.site.undefined = self.undefined();
        let site = &mut self.site;
        if effect.moved {
            let sources = &self.sources;
            site.papers.sort_by_cached_key(|p| {
                let order = sources.get(&p.slug).map_or(usize::MAX, |s| s.order);
                (std::cmp::Reverse(p.date), order)
            });
        }
        // Groups and keys are made again only when a paper moved or changed what they are
        // made of (most edits change neither).
        if effect.moved || effect.regrouped {
            let categories = group_categories(&site.papers);
            let years = group_years(&site.papers, 0..site.papers.len());
            let primary = primary_category(inputs.profile, &self.renderer.resolver, &categories);
            undo.groups = Some((
                std::mem::replace(&mut site.categories, categories),
                std::mem::replace(&mut site.years, years),
                std::mem::replace(&mut site.primary_category, primary),
            ));
        }
        if effect.moved || effect.rekeyed {
            let keys = keys::keys(&site.papers);
            undo.keys = Some(std::mem::replace(&mut site.citation_keys, keys));
        }
        Ok(Undo(Box::new(Before::Patched(undo))))
    }

    /// Assembles anew in place of this assembly (reusing its papers).
    fn replace(&mut self, inputs: Inputs) -> Result<Undo> {
        let fresh = Assembly::new(inputs, Some(self))?;
        let before = std::mem::replace(self, fresh);
        Ok(Undo(Box::new(Before::Whole(before))))
    }

    /// Takes back an [`Assembly::update`].
    pub fn undo(&mut self, undo: Undo) {
        match *undo.0 {
            Before::Whole(before) => *self = before,
            Before::Patched(before) => {
                let site = &mut self.site;
                site.papers = before.papers;
                if let Some((categories, years, primary)) = before.groups {
                    site.categories = categories;
                    site.years = years;
                    site.primary_category = primary;
                }
                site.undefined = before.undefined;
                if let Some(keys) = before.keys {
                    site.citation_keys = keys;
                }
                self.merge_warnings = before.merge_warnings;
                for fp in before.added {
                    self.cache.papers.remove(&fp);
                }
                self.cache.papers.extend(before.removed);
            }
        }
    }

    /// Applies one paper file edited in place: `Some(what changed besides the paper)`, or
    /// `None` when it cannot be applied alone (the file is a paper of its own, now names
    /// another paper, is a draft, or has an error a full assembly reports in context).
    fn patch(&mut self, inputs: Inputs, path: &Path, undo: &mut Patched) -> Option<Effect> {
        let Inputs {
            settings,
            profile,
            bib,
            content,
        } = inputs;
        let slug = self.by_file.get(path)?.clone();
        let file = content.papers.iter().find(|f| f.shown == path)?;
        if file.matter.draft && !settings.drafts {
            return None;
        }
        let source = self.sources.get(&slug)?;
        if source.ids.is_empty() {
            return None;
        }
        let renderer = Arc::clone(&self.renderer);
        let (key, title) = file_key(file, &renderer.macros).ok()?;
        // The file must still find this paper: by its slug, or by an id when its key is no
        // paper's slug.
        let by_id = || {
            file.matter.slug.is_none()
                && !self.sources.contains_key(&key)
                && file_ids(file)
                    .find_map(|id| self.by_id.get(&id))
                    .is_some_and(|s| *s == slug)
        };
        if key != slug && !by_id() {
            return None;
        }
        let profile = profile.zip(settings.profile.as_ref().map(|p| p.shown.as_path()));
        let profile = profile.map(|(p, shown)| (shown, p));
        let mut draft = draft_of(&source.ids, profile, bib, &renderer.macros, slug.clone())?;
        apply(&mut draft, file, title);
        let mut checked = Vec::new();
        checks::normalise_ids(&mut draft.links, file, &mut checked);
        checked.extend(checks::incomplete(std::slice::from_ref(&draft)));
        let (fp, rendered) = renderer.render(draft, Some(&self.cache));
        if rendered.1.iter().any(|d| d.severity == Severity::Error) {
            return None;
        }
        let at = self.site.papers.iter().position(|p| p.slug == slug)?;
        // The file's own warnings (its ids, what it lacks) are made again.
        let about_file = |d: &Diagnostic| d.location.as_ref().is_some_and(|l| l.file == path);
        self.merge_warnings.retain(|d| !about_file(d));
        self.merge_warnings.extend(checked);
        let old = std::mem::replace(&mut self.site.papers[at], Arc::clone(&rendered.0));
        if old.fingerprint != fp
            && let Some(entry) = self.cache.papers.remove(&old.fingerprint)
        {
            undo.removed.push((old.fingerprint, entry));
        }
        if self.cache.papers.insert(fp, rendered).is_none() {
            undo.added.push(fp);
        }
        let new = &self.site.papers[at];
        Some(Effect {
            moved: old.date != new.date,
            regrouped: old.categories != new.categories,
            rekeyed: keys::base_key(&old) != keys::base_key(new),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::content;
    use crate::load::settings::Overrides;

    /// The example site's settings, profile and content, from a copy in a temp folder.
    struct Example {
        dir: tempfile::TempDir,
        settings: Settings,
        profile: Profile,
        bib: Bibliography,
    }

    impl Example {
        fn new() -> Example {
            let dir = tempfile::tempdir().expect("temp dir");
            let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
            for name in ["config.toml", "seeds", "content"] {
                for entry in walkdir::WalkDir::new(repo.join(name)) {
                    let entry = entry.expect("walk");
                    let to = dir
                        .path()
                        .join(entry.path().strip_prefix(repo).expect("in"));
                    if entry.file_type().is_dir() {
                        std::fs::create_dir_all(&to).expect("folder");
                    } else {
                        std::fs::copy(entry.path(), &to).expect("copy");
                    }
                }
            }
            let settings = Settings::load(dir.path(), &Overrides::default()).expect("settings");
            let src = settings.profile.clone().expect("a profile");
            let (profile, _) =
                crate::load::profile::load(&src.path, &src.shown, src.as_of).expect("profile");
            let (bib, _) = crate::load::sources::load(&settings).expect("bibliography");
            Example {
                dir,
                settings,
                profile,
                bib,
            }
        }

        fn content(&self) -> Content {
            content::load(self.dir.path()).expect("content").0
        }

        fn paper(&self) -> PathBuf {
            self.dir.path().join("content/papers/autorep.md")
        }

        /// Replaces `from` with `to` in autorep.md.
        fn edit(&self, from: &str, to: &str) {
            let text = std::fs::read_to_string(self.paper()).expect("paper");
            assert!(text.contains(from), "{from}");
            std::fs::write(self.paper(), text.replacen(from, to, 1)).expect("paper");
        }

        fn inputs<'a>(&'a self, content: &'a Content) -> Inputs<'a> {
            Inputs {
                settings: &self.settings,
                profile: Some(&self.profile),
                bib: &self.bib,
                content,
            }
        }

        fn assemble(&self, content: &Content, previous: Option<&Assembly>) -> Assembly {
            Assembly::new(self.inputs(content), previous).expect("site")
        }
    }

    /// What makes two sites the same: papers in order with what they were made from, keys,
    /// groups.
    fn summary(site: &Site) -> Vec<String> {
        let mut out: Vec<String> = site
            .papers
            .iter()
            .zip(&site.citation_keys)
            .map(|(p, k)| format!("{} {} {:?} {k}", p.slug, p.fingerprint, p.date))
            .collect();
        out.extend(
            site.years
                .iter()
                .map(|g| format!("{:?} {:?}", g.year, g.papers)),
        );
        out.extend(
            site.categories
                .iter()
                .map(|g| format!("{} {:?}", g.category.slug, g.papers)),
        );
        out
    }

    #[test]
    fn an_edit_in_place_is_patched_alone_and_equals_a_full_assembly() {
        let ex = Example::new();
        let original = ex.content();
        let before = ex.assemble(&original, None);
        // Each edit adds to the last; the date moves the paper from the second on.
        let edits = [
            ("+++\n", "+++\nabstract = \"Patched 1.\"\n", false),
            ("+++\n", "+++\ndate = 2019-05-05\n", true),
            ("selected = true", "selected = false", true),
        ];
        for (from, line, dated) in edits {
            ex.edit(from, line);
            let content = ex.content();
            let changes = before.changes(&content, &[ex.paper()]);
            assert_eq!(changes.papers, [ex.paper()], "{line}");
            assert!(!changes.remerge);
            let mut updated = ex.assemble(&original, None);
            let old = summary(updated.site());
            let mut undo = Patched::default();
            let mut patched = ex.assemble(&original, None);
            let moved = patched.patch(ex.inputs(&content), &ex.paper(), &mut undo);
            assert_eq!(moved.map(|e| e.moved), Some(dated), "{line}: applied alone");
            let taken_back = updated
                .update(ex.inputs(&content), &changes)
                .expect("update");
            let fresh = ex.assemble(&content, None);
            assert_eq!(summary(updated.site()), summary(fresh.site()), "{line}");
            let sorted = |a: &Assembly| {
                let mut w: Vec<String> = a.warnings().iter().map(|d| format!("{d:?}")).collect();
                w.sort();
                w
            };
            assert_eq!(sorted(&updated), sorted(&fresh), "the same warnings");
            updated.undo(taken_back);
            assert_eq!(summary(updated.site()), old, "undone");
        }
    }

    #[test]
    fn a_file_that_names_another_paper_or_becomes_a_draft_is_merged_again() {
        let ex = Example::new();
        let original = ex.content();
        let before = ex.assemble(&original, None);
        let text = std::fs::read_to_string(ex.paper()).expect("paper");
        let edits = [
            (
                "title = \"AutoReP",
                "slug = \"a-new-slug\"\ntitle = \"Now AutoReP",
            ),
            ("+++\n", "+++\ndraft = true\n"),
        ];
        for (from, line) in edits {
            std::fs::write(ex.paper(), text.replacen(from, line, 1)).expect("paper");
            let content = ex.content();
            let mut copy = ex.assemble(&original, None);
            let mut undo = Patched::default();
            assert_eq!(
                copy.patch(ex.inputs(&content), &ex.paper(), &mut undo),
                None,
                "{line}"
            );
            let changes = before.changes(&content, &[ex.paper()]);
            let mut updated = ex.assemble(&original, None);
            updated
                .update(ex.inputs(&content), &changes)
                .expect("update");
            assert_eq!(
                summary(updated.site()),
                summary(ex.assemble(&content, None).site())
            );
        }
        // Removed: merged again, the profile paper stays without what the file added.
        std::fs::remove_file(ex.paper()).expect("remove");
        let content = ex.content();
        let changes = before.changes(&content, &[ex.paper()]);
        assert!(changes.remerge);
        let mut updated = ex.assemble(&original, None);
        updated
            .update(ex.inputs(&content), &changes)
            .expect("update");
        assert_eq!(
            summary(updated.site()),
            summary(ex.assemble(&content, None).site())
        );
    }
}
