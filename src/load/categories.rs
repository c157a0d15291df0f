//! arXiv category codes and their human names.
//!
//! The scraped profile writes bare codes (`LG`, `HEP-TH`, `MES-HALL`); front matter may write
//! full ones (`cs.LG`, `math.AG`). Both resolve to one [`Category`]: the full arXiv code, the
//! short code shown on badges, the name, and the slug of its page.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

/// A resolved arXiv category.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Category {
    /// The short code shown on badges: `LG`, `HEP-TH`.
    pub code: String,
    /// The full arXiv code: `cs.LG`, `hep-th`.
    pub arxiv: String,
    /// The human name: `Machine Learning`.
    pub name: String,
    /// The URL slug of the category page: `lg`.
    pub slug: String,
}

/// arXiv's taxonomy (full code, name). Bare codes resolve to the first match in this order,
/// so computer science wins where archives share a two-letter code (`CV`, `DS`, `GT`).
const TAXONOMY: &[(&str, &str)] = &[
    ("cs.AI", "Artificial Intelligence"),
    ("cs.AR", "Hardware Architecture"),
    ("cs.CC", "Computational Complexity"),
    ("cs.CE", "Computational Engineering, Finance, and Science"),
    ("cs.CG", "Computational Geometry"),
    ("cs.CL", "Computation and Language"),
    ("cs.CR", "Cryptography and Security"),
    ("cs.CV", "Computer Vision and Pattern Recognition"),
    ("cs.CY", "Computers and Society"),
    ("cs.DB", "Databases"),
    ("cs.DC", "Distributed, Parallel, and Cluster Computing"),
    ("cs.DL", "Digital Libraries"),
    ("cs.DM", "Discrete Mathematics"),
    ("cs.DS", "Data Structures and Algorithms"),
    ("cs.ET", "Emerging Technologies"),
    ("cs.FL", "Formal Languages and Automata Theory"),
    ("cs.GL", "General Literature"),
    ("cs.GR", "Graphics"),
    ("cs.GT", "Computer Science and Game Theory"),
    ("cs.HC", "Human-Computer Interaction"),
    ("cs.IR", "Information Retrieval"),
    ("cs.IT", "Information Theory"),
    ("cs.LG", "Machine Learning"),
    ("cs.LO", "Logic in Computer Science"),
    ("cs.MA", "Multiagent Systems"),
    ("cs.MM", "Multimedia"),
    ("cs.MS", "Mathematical Software"),
    ("cs.NA", "Numerical Analysis"),
    ("cs.NE", "Neural and Evolutionary Computing"),
    ("cs.NI", "Networking and Internet Architecture"),
    ("cs.OH", "Other Computer Science"),
    ("cs.OS", "Operating Systems"),
    ("cs.PF", "Performance"),
    ("cs.PL", "Programming Languages"),
    ("cs.RO", "Robotics"),
    ("cs.SC", "Symbolic Computation"),
    ("cs.SD", "Sound"),
    ("cs.SE", "Software Engineering"),
    ("cs.SI", "Social and Information Networks"),
    ("cs.SY", "Systems and Control"),
    ("stat.AP", "Applications"),
    ("stat.CO", "Computation"),
    ("stat.ME", "Methodology"),
    ("stat.ML", "Machine Learning (Statistics)"),
    ("stat.OT", "Other Statistics"),
    ("stat.TH", "Statistics Theory"),
    ("eess.AS", "Audio and Speech Processing"),
    ("eess.IV", "Image and Video Processing"),
    ("eess.SP", "Signal Processing"),
    ("eess.SY", "Systems and Control"),
    ("econ.EM", "Econometrics"),
    ("econ.GN", "General Economics"),
    ("econ.TH", "Theoretical Economics"),
    ("math.AC", "Commutative Algebra"),
    ("math.AG", "Algebraic Geometry"),
    ("math.AP", "Analysis of PDEs"),
    ("math.AT", "Algebraic Topology"),
    ("math.CA", "Classical Analysis and ODEs"),
    ("math.CO", "Combinatorics"),
    ("math.CT", "Category Theory"),
    ("math.CV", "Complex Variables"),
    ("math.DG", "Differential Geometry"),
    ("math.DS", "Dynamical Systems"),
    ("math.FA", "Functional Analysis"),
    ("math.GM", "General Mathematics"),
    ("math.GN", "General Topology"),
    ("math.GR", "Group Theory"),
    ("math.GT", "Geometric Topology"),
    ("math.HO", "History and Overview"),
    ("math.IT", "Information Theory"),
    ("math.KT", "K-Theory and Homology"),
    ("math.LO", "Logic"),
    ("math.MG", "Metric Geometry"),
    ("math.MP", "Mathematical Physics"),
    ("math.NA", "Numerical Analysis"),
    ("math.NT", "Number Theory"),
    ("math.OA", "Operator Algebras"),
    ("math.OC", "Optimization and Control"),
    ("math.PR", "Probability"),
    ("math.QA", "Quantum Algebra"),
    ("math.RA", "Rings and Algebras"),
    ("math.RT", "Representation Theory"),
    ("math.SG", "Symplectic Geometry"),
    ("math.SP", "Spectral Theory"),
    ("math.ST", "Statistics Theory"),
    ("q-bio.BM", "Biomolecules"),
    ("q-bio.CB", "Cell Behavior"),
    ("q-bio.GN", "Genomics"),
    ("q-bio.MN", "Molecular Networks"),
    ("q-bio.NC", "Neurons and Cognition"),
    ("q-bio.OT", "Other Quantitative Biology"),
    ("q-bio.PE", "Populations and Evolution"),
    ("q-bio.QM", "Quantitative Methods"),
    ("q-bio.SC", "Subcellular Processes"),
    ("q-bio.TO", "Tissues and Organs"),
    ("q-fin.CP", "Computational Finance"),
    ("q-fin.EC", "Economics"),
    ("q-fin.GN", "General Finance"),
    ("q-fin.MF", "Mathematical Finance"),
    ("q-fin.PM", "Portfolio Management"),
    ("q-fin.PR", "Pricing of Securities"),
    ("q-fin.RM", "Risk Management"),
    ("q-fin.ST", "Statistical Finance"),
    ("q-fin.TR", "Trading and Market Microstructure"),
    ("nlin.AO", "Adaptation and Self-Organizing Systems"),
    ("nlin.CD", "Chaotic Dynamics"),
    ("nlin.CG", "Cellular Automata and Lattice Gases"),
    ("nlin.PS", "Pattern Formation and Solitons"),
    ("nlin.SI", "Exactly Solvable and Integrable Systems"),
    ("astro-ph", "Astrophysics"),
    ("astro-ph.CO", "Cosmology and Nongalactic Astrophysics"),
    ("astro-ph.EP", "Earth and Planetary Astrophysics"),
    ("astro-ph.GA", "Astrophysics of Galaxies"),
    ("astro-ph.HE", "High Energy Astrophysical Phenomena"),
    (
        "astro-ph.IM",
        "Instrumentation and Methods for Astrophysics",
    ),
    ("astro-ph.SR", "Solar and Stellar Astrophysics"),
    ("cond-mat", "Condensed Matter"),
    ("cond-mat.dis-nn", "Disordered Systems and Neural Networks"),
    ("cond-mat.mes-hall", "Mesoscale and Nanoscale Physics"),
    ("cond-mat.mtrl-sci", "Materials Science"),
    ("cond-mat.other", "Other Condensed Matter"),
    ("cond-mat.quant-gas", "Quantum Gases"),
    ("cond-mat.soft", "Soft Condensed Matter"),
    ("cond-mat.stat-mech", "Statistical Mechanics"),
    ("cond-mat.str-el", "Strongly Correlated Electrons"),
    ("cond-mat.supr-con", "Superconductivity"),
    ("gr-qc", "General Relativity and Quantum Cosmology"),
    ("hep-ex", "High Energy Physics - Experiment"),
    ("hep-lat", "High Energy Physics - Lattice"),
    ("hep-ph", "High Energy Physics - Phenomenology"),
    ("hep-th", "High Energy Physics - Theory"),
    ("math-ph", "Mathematical Physics"),
    ("nucl-ex", "Nuclear Experiment"),
    ("nucl-th", "Nuclear Theory"),
    ("quant-ph", "Quantum Physics"),
    ("physics.acc-ph", "Accelerator Physics"),
    ("physics.ao-ph", "Atmospheric and Oceanic Physics"),
    ("physics.app-ph", "Applied Physics"),
    ("physics.atm-clus", "Atomic and Molecular Clusters"),
    ("physics.atom-ph", "Atomic Physics"),
    ("physics.bio-ph", "Biological Physics"),
    ("physics.chem-ph", "Chemical Physics"),
    ("physics.class-ph", "Classical Physics"),
    ("physics.comp-ph", "Computational Physics"),
    (
        "physics.data-an",
        "Data Analysis, Statistics and Probability",
    ),
    ("physics.ed-ph", "Physics Education"),
    ("physics.flu-dyn", "Fluid Dynamics"),
    ("physics.gen-ph", "General Physics"),
    ("physics.geo-ph", "Geophysics"),
    ("physics.hist-ph", "History and Philosophy of Physics"),
    ("physics.ins-det", "Instrumentation and Detectors"),
    ("physics.med-ph", "Medical Physics"),
    ("physics.optics", "Optics"),
    ("physics.plasm-ph", "Plasma Physics"),
    ("physics.pop-ph", "Popular Physics"),
    ("physics.soc-ph", "Physics and Society"),
    ("physics.space-ph", "Space Physics"),
    ("adap-org", "Adaptation, Noise, and Self-Organizing Systems"),
    ("alg-geom", "Algebraic Geometry"),
    ("chao-dyn", "Chaotic Dynamics"),
    ("cmp-lg", "Computation and Language"),
    ("comp-gas", "Cellular Automata and Lattice Gases"),
    ("dg-ga", "Differential Geometry"),
    ("funct-an", "Functional Analysis"),
    ("mtrl-th", "Materials Theory"),
    ("patt-sol", "Pattern Formation and Solitons"),
    ("q-alg", "Quantum Algebra and Topology"),
    ("solv-int", "Exactly Solvable and Integrable Systems"),
    ("supr-con", "Superconductivity"),
];

/// Whether `code` has the shape of an arXiv category code (`LG`, `cs.LG`, `HEP-TH`,
/// `cond-mat.mes-hall`), known or not.
pub fn is_well_formed(code: &str) -> bool {
    let (archive, sub) = match code.split_once('.') {
        Some((a, s)) => (Some(a), s),
        None => (None, code),
    };
    let part_ok = |p: &str| {
        !p.is_empty()
            && p.len() <= 20
            && p.starts_with(|c: char| c.is_ascii_alphabetic())
            && !p.ends_with('-')
            && p.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
    };
    let case_consistent = sub.chars().all(|c| !c.is_ascii_lowercase())
        || sub.chars().all(|c| !c.is_ascii_uppercase());
    archive.is_none_or(part_ok) && part_ok(sub) && case_consistent
}

/// Resolves codes to categories, with the site's name overrides from `[categories]`.
#[derive(Debug, Clone)]
pub struct Resolver {
    overrides: BTreeMap<String, String>,
    /// Lowercase full and bare codes → index in `TAXONOMY` (the first match wins for bare codes).
    index: HashMap<String, usize>,
}

impl Default for Resolver {
    fn default() -> Resolver {
        Resolver::new(&BTreeMap::new())
    }
}

impl Resolver {
    /// A resolver with the site's own names (keys: short or full codes, any case).
    pub fn new(overrides: &BTreeMap<String, String>) -> Resolver {
        let overrides = overrides
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
        let mut index = HashMap::new();
        for (i, (full, _)) in TAXONOMY.iter().enumerate() {
            index.insert(full.to_ascii_lowercase(), i);
        }
        for (i, (full, _)) in TAXONOMY.iter().enumerate() {
            if let Some((_, bare)) = full.rsplit_once('.') {
                index.entry(bare.to_ascii_lowercase()).or_insert(i);
            }
        }
        Resolver { overrides, index }
    }

    /// The category a (well-formed) code stands for; unknown codes keep the code as name.
    pub fn resolve(&self, code: &str) -> Category {
        let known = self
            .index
            .get(&code.to_ascii_lowercase())
            .map(|&i| &TAXONOMY[i]);
        let (arxiv, name) = match known {
            Some((full, name)) => ((*full).to_string(), (*name).to_string()),
            None => (code.to_string(), code.to_string()),
        };
        let short = arxiv.rsplit_once('.').map_or(arxiv.as_str(), |(_, s)| s);
        let code = short.to_ascii_uppercase();
        let slug = if arxiv.starts_with("cs.") || !arxiv.contains('.') {
            code.to_ascii_lowercase()
        } else {
            arxiv.to_ascii_lowercase().replace('.', "-")
        };
        let name = self
            .overrides
            .get(&code.to_ascii_lowercase())
            .or_else(|| self.overrides.get(&arxiv.to_ascii_lowercase()))
            .cloned()
            .unwrap_or(name);
        Category {
            code,
            arxiv,
            name,
            slug,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_bare_and_full_codes() {
        let r = Resolver::default();
        let lg = r.resolve("LG");
        assert_eq!(lg, r.resolve("cs.LG"));
        assert_eq!(lg.name, "Machine Learning");
        assert_eq!(lg.slug, "lg");
        assert_eq!(r.resolve("CL").name, "Computation and Language");
        assert_eq!(r.resolve("CR").name, "Cryptography and Security");
        assert_eq!(r.resolve("AR").name, "Hardware Architecture");
        let hep = r.resolve("HEP-TH");
        assert_eq!(
            (hep.code.as_str(), hep.arxiv.as_str()),
            ("HEP-TH", "hep-th")
        );
        assert_eq!(hep.slug, "hep-th");
        let mes = r.resolve("MES-HALL");
        assert_eq!(mes.arxiv, "cond-mat.mes-hall");
        assert_eq!(mes.slug, "cond-mat-mes-hall");
        assert_eq!(r.resolve("ALG-GEOM").name, "Algebraic Geometry");
        assert_eq!(r.resolve("math.AG").slug, "math-ag");
    }

    #[test]
    fn unknown_codes_keep_their_code_and_overrides_win() {
        let mut o = BTreeMap::new();
        o.insert("lg".to_string(), "ML".to_string());
        let r = Resolver::new(&o);
        assert_eq!(r.resolve("LG").name, "ML");
        let xx = r.resolve("XQ");
        assert_eq!(
            (xx.code.as_str(), xx.name.as_str(), xx.slug.as_str()),
            ("XQ", "XQ", "xq")
        );
    }

    #[test]
    fn recognises_the_shape_of_codes() {
        for ok in [
            "LG",
            "cs.LG",
            "HEP-TH",
            "hep-th",
            "cond-mat.mes-hall",
            "ALG-GEOM",
        ] {
            assert!(is_well_formed(ok), "{ok}");
        }
        for bad in ["", "L@", "Lg", "12", "-LG", "LG-", "cs.", "a b"] {
            assert!(!is_well_formed(bad), "{bad}");
        }
    }
}
