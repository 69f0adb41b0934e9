//! Inline SVG charts of roadmap indicators, drawn at build time (no JavaScript, no images).
//!
//! Each chart has a `<title>` and `<desc>` with the same numbers as the indicator table, so a
//! screen reader gets the data, and distinguishes series by shape and dash, not colour alone.

use crate::model::Indicator;

use crate::text::escape_xml as esc;

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{:.2}", v)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .replace('.', ",")
    }
}

/// SVG of baseline, targets and actual values by year. `n` makes element ids unique on a page.
pub(crate) fn indicator_svg(ind: &Indicator, n: usize) -> String {
    let mut years: Vec<i32> = ind
        .targets
        .keys()
        .chain(ind.actual.keys())
        .copied()
        .collect();
    if let Some(b) = ind.baseline {
        years.push(b.year);
    }
    years.sort_unstable();
    years.dedup();
    let unit = ind.unit.clone().unwrap_or_default();
    let title = format!("График показателя: {}", ind.name);
    let mut desc = Vec::new();
    if let Some(b) = ind.baseline {
        desc.push(format!(
            "базовое значение {} {unit} в {} году",
            num(b.value),
            b.year
        ));
    }
    for (y, v) in &ind.targets {
        desc.push(format!("целевое {} {unit} в {y} году", num(*v)));
    }
    for (y, v) in &ind.actual {
        desc.push(format!("фактическое {} {unit} в {y} году", num(*v)));
    }
    let desc = if desc.is_empty() {
        "Значений нет".to_string()
    } else {
        desc.join("; ")
    };
    let (w, h, left, right, top, bottom) = (560.0, 240.0, 48.0, 16.0, 16.0, 56.0);
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="chart-{n}-title chart-{n}-desc" xmlns="http://www.w3.org/2000/svg"><title id="chart-{n}-title">{}</title><desc id="chart-{n}-desc">{}</desc>"#,
        esc(&title),
        esc(&desc)
    );
    if years.is_empty() {
        svg.push_str("</svg>");
        return svg;
    }
    let values: Vec<f64> = ind
        .targets
        .values()
        .chain(ind.actual.values())
        .copied()
        .chain(ind.baseline.map(|b| b.value))
        .filter(|v| v.is_finite())
        .collect();
    let max = values.iter().copied().fold(0.0_f64, f64::max);
    let min = values.iter().copied().fold(0.0_f64, f64::min);
    let span = if (max - min).abs() < f64::EPSILON {
        1.0
    } else {
        max - min
    };
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let x = |i: usize| {
        left + if years.len() == 1 {
            plot_w / 2.0
        } else {
            plot_w * i as f64 / (years.len() - 1) as f64
        }
    };
    let y = |v: f64| top + plot_h * (1.0 - (v - min) / span);
    // Axes and grid.
    svg.push_str(&format!(r#"<g class="axis"><line x1="{left}" y1="{}" x2="{}" y2="{}"/><line x1="{left}" y1="{top}" x2="{left}" y2="{}"/>"#, top + plot_h, left + plot_w, top + plot_h, top + plot_h));
    for k in 0..=4 {
        let v = min + span * k as f64 / 4.0;
        svg.push_str(&format!(
            r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 6.0,
            y(v) + 4.0,
            num(v)
        ));
    }
    for (i, yr) in years.iter().enumerate() {
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{yr}</text>"#,
            x(i),
            top + plot_h + 18.0
        ));
    }
    svg.push_str("</g>");
    let pos = |yr: i32| years.iter().position(|y| *y == yr).unwrap_or(0);
    // Target line (dashed, squares).
    let series =
        |map: &std::collections::BTreeMap<i32, f64>, class: &str, with_baseline: bool| -> String {
            let mut pts: Vec<(f64, f64)> = Vec::new();
            if with_baseline {
                if let Some(b) = ind.baseline {
                    pts.push((x(pos(b.year)), y(b.value)));
                }
            }
            pts.extend(
                map.iter()
                    .filter(|(_, v)| v.is_finite())
                    .map(|(yr, v)| (x(pos(*yr)), y(*v))),
            );
            if pts.is_empty() {
                return String::new();
            }
            let d: Vec<String> = pts.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
            let mut s = format!(r#"<polyline class="{class}" points="{}"/>"#, d.join(" "));
            for (a, b) in &pts {
                if class == "target" {
                    s.push_str(&format!(
                        r#"<rect class="{class}" x="{:.1}" y="{:.1}" width="8" height="8"/>"#,
                        a - 4.0,
                        b - 4.0
                    ));
                } else {
                    s.push_str(&format!(
                        r#"<circle class="{class}" cx="{a:.1}" cy="{b:.1}" r="4.5"/>"#
                    ));
                }
            }
            s
        };
    svg.push_str(&series(&ind.targets, "target", true));
    svg.push_str(&series(&ind.actual, "actual", false));
    if let Some(b) = ind.baseline {
        svg.push_str(&format!(
            r#"<circle class="baseline" cx="{:.1}" cy="{:.1}" r="6"/>"#,
            x(pos(b.year)),
            y(b.value)
        ));
    }
    // Legend.
    let ly = h - 14.0;
    svg.push_str(&format!(
        r#"<g class="legend"><rect class="target" x="{left}" y="{}" width="8" height="8"/><text x="{}" y="{ly}">цель</text><circle class="actual" cx="{}" cy="{}" r="4.5"/><text x="{}" y="{ly}">факт</text><circle class="baseline" cx="{}" cy="{}" r="6"/><text x="{}" y="{ly}">базовое значение</text></g>"#,
        ly - 8.0,
        left + 14.0,
        left + 84.0,
        ly - 4.0,
        left + 94.0,
        left + 160.0,
        ly - 4.0,
        left + 172.0
    ));
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Baseline;

    #[test]
    fn chart_has_title_desc_and_points() {
        let ind = Indicator {
            name: "Доля <педагогов>".into(),
            unit: Some("%".into()),
            baseline: Some(Baseline {
                year: 2022,
                value: 15.0,
            }),
            targets: [(2023, 30.0), (2024, 45.5)].into_iter().collect(),
            actual: [(2023, 32.0)].into_iter().collect(),
        };
        let svg = indicator_svg(&ind, 1);
        assert!(svg.contains(
            "<title id=\"chart-1-title\">График показателя: Доля &lt;педагогов&gt;</title>"
        ));
        assert!(svg.contains("целевое 45,5 % в 2024 году"));
        assert!(svg.contains("фактическое 32 % в 2023 году"));
        assert_eq!(
            svg.matches("<rect class=\"target\"").count(),
            4,
            "baseline + 2 targets + legend"
        );
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn empty_indicator_is_still_valid_svg() {
        let ind = Indicator {
            name: "x".into(),
            unit: None,
            baseline: None,
            targets: Default::default(),
            actual: Default::default(),
        };
        let svg = indicator_svg(&ind, 2);
        assert!(svg.ends_with("</svg>") && svg.contains("Значений нет"));
    }
}
