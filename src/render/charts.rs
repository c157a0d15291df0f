//! Charts drawn at build time as inline SVG: papers per year (vertical bars) and the topics
//! breakdown (horizontal bars by category). No script, no external request: the SVG is text in
//! the page, styled by the theme's CSS through classes (with `currentColor` fallbacks, so a
//! theme that does not style them still shows them), and accessible: `role="img"`, a `<title>`
//! and a `<desc>` that states every number in words.

use std::fmt::Write as _;

use crate::base::text::escape;
use crate::model::Site;

/// Width of both charts in SVG units: about a phone's width, so that text is drawn near its
/// nominal size on a phone and two charts fit side by side on a wide screen.
const WIDTH: f64 = 340.0;

/// How many categories the topics chart shows; the rest are summed as "Other".
const TOPICS: usize = 7;

/// Papers per year as `(year, count)`, every year from the first to the last (gaps as 0),
/// oldest first. Undated papers are left out.
pub fn year_counts(site: &Site) -> Vec<(i32, usize)> {
    counts_by_year(site.papers.iter().filter_map(|p| p.year()))
}

fn counts_by_year(years: impl Iterator<Item = i32>) -> Vec<(i32, usize)> {
    let years: Vec<i32> = years.collect();
    let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) else {
        return Vec::new();
    };
    (first..=last)
        .map(|y| (y, years.iter().filter(|&&x| x == y).count()))
        .collect()
}

/// The papers-per-year bar chart, or an empty string when no paper is dated.
pub fn years_svg(site: &Site) -> String {
    years_chart(&year_counts(site))
}

fn years_chart(counts: &[(i32, usize)]) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let max = counts.iter().map(|&(_, c)| c).max().unwrap_or(1).max(1);
    let (top, bottom, height) = (18.0, 22.0, 170.0);
    let plot = height - top - bottom;
    let n = counts.len() as f64;
    let slot = WIDTH / n;
    let bar = (slot * 0.64).min(40.0);
    // Label every year when they fit, else every k-th (and always the last).
    let every = ((n * 34.0) / WIDTH).ceil().max(1.0) as usize;
    let total: usize = counts.iter().map(|&(_, c)| c).sum();
    let desc = counts
        .iter()
        .map(|&(y, c)| format!("{y}: {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut svg = String::with_capacity(256 + counts.len() * 200);
    let _ = write!(
        svg,
        "<svg class=\"chart chart-years\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"chart-years-title chart-years-desc\">\
<title id=\"chart-years-title\">Papers per year</title>\
<desc id=\"chart-years-desc\">{total} dated papers, {}–{}. Papers per year: {desc}.</desc>\
<line class=\"chart-axis\" x1=\"0\" x2=\"{WIDTH}\" y1=\"{y0}\" y2=\"{y0}\" stroke=\"currentColor\" stroke-opacity=\"0.3\"/>",
        counts[0].0,
        counts[counts.len() - 1].0,
        y0 = top + plot,
    );
    for (i, &(year, count)) in counts.iter().enumerate() {
        let h = plot * count as f64 / max as f64;
        let x = slot * i as f64 + (slot - bar) / 2.0;
        let cx = slot * i as f64 + slot / 2.0;
        let y = top + plot - h;
        if count > 0 {
            let _ = write!(
                svg,
                "<rect class=\"chart-bar\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" rx=\"2\" fill=\"currentColor\"/>\
<text class=\"chart-value\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"currentColor\">{count}</text>",
                y - 5.0
            );
        }
        if i % every == 0 || i + 1 == counts.len() {
            let _ = write!(
                svg,
                "<text class=\"chart-label\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"currentColor\">{year}</text>",
                height - 5.0
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Papers per primary category as `(name, code, count)`, largest first; past [`TOPICS`]
/// categories the rest are summed as "Other" (code empty).
pub fn topic_counts(site: &Site) -> Vec<(String, String, usize)> {
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    for p in &site.papers {
        let Some(c) = p.categories.first() else {
            continue;
        };
        match counts.iter_mut().find(|(_, code, _)| *code == c.code) {
            Some(entry) => entry.2 += 1,
            None => counts.push((c.name.clone(), c.code.clone(), 1)),
        }
    }
    counts.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    if counts.len() > TOPICS {
        let other: usize = counts[TOPICS - 1..].iter().map(|c| c.2).sum();
        counts.truncate(TOPICS - 1);
        counts.push(("Other".into(), String::new(), other));
    }
    counts
}

/// The topics chart: one labelled horizontal bar per category (by primary category), or an
/// empty string when no paper has a category.
pub fn topics_svg(site: &Site) -> String {
    topics_chart(&topic_counts(site))
}

fn topics_chart(counts: &[(String, String, usize)]) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let max = counts.iter().map(|c| c.2).max().unwrap_or(1).max(1);
    let row = 30.0;
    let height = row * counts.len() as f64;
    let total: usize = counts.iter().map(|c| c.2).sum();
    let desc = counts
        .iter()
        .map(|(name, _, n)| format!("{name}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut svg = String::with_capacity(256 + counts.len() * 300);
    let _ = write!(
        svg,
        "<svg class=\"chart chart-topics\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"chart-topics-title chart-topics-desc\">\
<title id=\"chart-topics-title\">Papers by topic</title>\
<desc id=\"chart-topics-desc\">{total} papers by primary research area: {}.</desc>",
        escape(&desc)
    );
    for (i, (name, _, count)) in counts.iter().enumerate() {
        let y = row * i as f64;
        let w = (WIDTH * *count as f64 / max as f64).max(3.0);
        let shown = if name.chars().count() > 48 {
            format!("{}…", name.chars().take(47).collect::<String>().trim_end())
        } else {
            name.clone()
        };
        let _ = write!(
            svg,
            "<text class=\"chart-label\" x=\"0\" y=\"{:.1}\" fill=\"currentColor\">{}</text>\
<text class=\"chart-value\" x=\"{WIDTH}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"currentColor\">{count}</text>\
<rect class=\"chart-track\" x=\"0\" y=\"{:.1}\" width=\"{WIDTH}\" height=\"7\" rx=\"3.5\" fill=\"currentColor\" fill-opacity=\"0.12\"/>\
<rect class=\"chart-bar\" x=\"0\" y=\"{:.1}\" width=\"{w:.1}\" height=\"7\" rx=\"3.5\" fill=\"currentColor\"/>",
            y + 12.0,
            escape(&shown),
            y + 12.0,
            y + 17.0,
            y + 17.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_fill_gaps() {
        let counts = counts_by_year([2020, 2022, 2022].into_iter());
        assert_eq!(counts, vec![(2020, 1), (2021, 0), (2022, 2)]);
        let svg = years_chart(&counts);
        assert!(svg.contains("<title id=\"chart-years-title\">Papers per year</title>"));
        assert!(svg.contains("2020: 1, 2021: 0, 2022: 2"));
        assert_eq!(svg.matches("<rect").count(), 2, "no bar for an empty year");
        assert!(years_chart(&counts_by_year(std::iter::empty())).is_empty());
    }

    #[test]
    fn topics_escape_names() {
        let svg = topics_chart(&[("A & B".into(), "AB".into(), 3)]);
        assert!(svg.contains(">A &amp; B</text>"));
        assert!(svg.contains("3 papers by primary research area: A &amp; B: 3."));
    }
}
