//! The picture of the incident: each symptom's series over the window (plotters, SVG backend),
//! its warning and critical levels, and the timeline as vertical markers (detected, every
//! change, resolved).

use crate::diagnose::analysis::symptoms::SymptomSeries;
use crate::diagnose::analysis::Window;
use jiff::Timestamp;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const WIDTH: u32 = 960;
const PANEL: u32 = 260;

fn hhmm(secs: f64) -> String {
    Timestamp::from_second(secs as i64)
        .map(|t| t.strftime("%H:%M").to_string())
        .unwrap_or_default()
}

/// How much of the window before the onset the picture shows, at least.
const BEFORE_ONSET_SECS: i64 = 30 * 60;

/// The stretch the picture shows: from a while before the onset (at least half an hour, and as
/// long again as the incident lasted) to the window's end; the whole window without an onset.
pub fn span(window: Window, onset: Option<Timestamp>) -> Window {
    let Some(onset) = onset else {
        return window;
    };
    let lasted = window.end.as_second() - onset.as_second();
    let from = onset.as_second() - BEFORE_ONSET_SECS.max(lasted);
    match Timestamp::from_second(from) {
        Ok(start) if start > window.start => Window {
            start,
            end: window.end,
        },
        _ => window,
    }
}

/// The SVG, one panel per symptom that has data; None when none has.
pub fn svg(
    symptoms: &[SymptomSeries],
    window: Window,
    markers: &[(Timestamp, String)],
) -> Option<String> {
    let shown: Vec<&SymptomSeries> = symptoms.iter().filter(|s| !s.points.is_empty()).collect();
    if shown.is_empty() {
        return None;
    }
    let mut out = String::new();
    let height = PANEL * shown.len() as u32;
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        for (panel, s) in root.split_evenly((shown.len(), 1)).iter().zip(&shown) {
            draw(panel, s, window, markers).ok()?;
        }
        root.present().ok()?;
    }
    Some(out)
}

fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    s: &SymptomSeries,
    window: Window,
    markers: &[(Timestamp, String)],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (x0, x1) = (
        window.start.as_second() as f64,
        window.end.as_second() as f64,
    );
    let inside = |p: &&(i64, f64)| (p.0 as f64) >= x0 && (p.0 as f64) <= x1;
    let top = s
        .points
        .iter()
        .filter(inside)
        .map(|p| p.1)
        .fold(s.critical.max(s.warning), f64::max)
        * 1.15;
    let mut chart = ChartBuilder::on(area)
        .caption(format!("{} ({})", s.what, s.unit), ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(24)
        .y_label_area_size(48)
        .build_cartesian_2d(x0..x1, 0f64..top.max(1e-9))?;
    chart
        .configure_mesh()
        .x_labels(8)
        .x_label_formatter(&|x| hhmm(*x))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    for (level, color, name) in [
        (s.warning, RGBColor(230, 160, 0), "warning"),
        (s.critical, RGBColor(200, 30, 30), "critical"),
    ] {
        chart
            .draw_series(LineSeries::new(
                vec![(x0, level), (x1, level)],
                color.stroke_width(1),
            ))?
            .label(format!("{name} {level}"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
    }
    let points: Vec<(f64, f64)> = s
        .points
        .iter()
        .filter(inside)
        .map(|p| (p.0 as f64, p.1))
        .collect();
    let blue = RGBColor(31, 90, 200);
    chart
        .draw_series(LineSeries::new(points, blue.stroke_width(2)))?
        .label(s.signal.clone())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], blue));
    let grey = RGBColor(90, 90, 90);
    for (at, label) in markers {
        let x = at.as_second() as f64;
        if !(x0..=x1).contains(&x) {
            continue;
        }
        chart.draw_series(LineSeries::new(
            vec![(x, 0.0), (x, top)],
            grey.stroke_width(1),
        ))?;
        // A label near the right edge is written to the left of its line, so it stays inside.
        let side = if x > x0 + 0.85 * (x1 - x0) {
            HPos::Right
        } else {
            HPos::Left
        };
        let style = ("sans-serif", 11)
            .into_font()
            .color(&grey)
            .pos(Pos::new(side, VPos::Top));
        chart.draw_series(std::iter::once(Text::new(
            format!(" {label} "),
            (x, top * 0.97),
            style,
        )))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(RGBColor(200, 200, 200))
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::analysis::suspects::Symptom;

    fn series(points: Vec<(i64, f64)>) -> SymptomSeries {
        SymptomSeries {
            signal: "prometheus.error_rate".into(),
            what: "5xx error rate".into(),
            unit: "%".into(),
            query: "q".into(),
            warning: 1.0,
            critical: 5.0,
            below: false,
            symptom: Symptom::Errors,
            step: 15,
            points,
            coverage: Default::default(),
            episode: None,
            error: None,
        }
    }

    #[test]
    fn the_picture_has_the_series_its_levels_and_the_markers() {
        let at = |s: i64| Timestamp::from_second(s).unwrap();
        let window = Window {
            start: at(1_800_000_000),
            end: at(1_800_003_600),
        };
        let points = (0..240)
            .map(|i| (1_800_000_000 + i * 15, if i > 100 { 8.0 } else { 0.5 }))
            .collect();
        let svg = svg(
            &[series(points)],
            window,
            &[
                (at(1_800_001_500), "detected".into()),
                (at(1_800_009_999), "outside".into()),
            ],
        )
        .unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
        assert!(svg.contains("5xx error rate (%)"));
        assert!(svg.contains("detected"));
        assert!(
            !svg.contains("outside"),
            "a marker outside the window is left out"
        );
        assert!(svg.contains("#1F5AC8"), "the series' colour");
        assert!(svg.contains("critical 5"));
        assert_eq!(super::svg(&[series(vec![])], window, &[]), None);
    }
}
