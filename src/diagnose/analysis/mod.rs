//! The incident from its evidence: when each symptom began and recovered (from Prometheus over
//! the incident's window), what it cost (impact), and what probably caused it (suspects, ranked
//! from the signs the checks saw). `diagnose` and `report` both use it; the algorithms are pure
//! modules with their own tests (episode, counts, suspects).

pub mod counts;
pub mod episode;
pub mod extra;
pub mod impact;
pub mod suspects;
pub mod symptoms;

use crate::checks::Readings;
use crate::types::sign::Sign;
use crate::types::Cause;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use suspects::Symptom;
use symptoms::SymptomSeries;

/// How far before the incident's detection its window starts.
pub const WINDOW_BEFORE_SECS: i64 = 6 * 3600;

/// The stretch of time the incident is judged over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Window {
    /// [`WINDOW_BEFORE_SECS`] before `reference`, until `end`.
    pub fn around(reference: Timestamp, end: Timestamp) -> Window {
        let start =
            Timestamp::from_second(reference.as_second() - WINDOW_BEFORE_SECS).unwrap_or(reference);
        Window { start, end }
    }

    pub fn secs(&self) -> i64 {
        self.end.as_second() - self.start.as_second()
    }
}

/// One signal that dates the incident: a symptom's episode or a firing alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// `prometheus.error_rate`, a `[[check]]` id, or `alert HighErrorRate`.
    pub signal: String,
    pub at: Timestamp,
    /// False: already bad when its data begins; it started then or earlier.
    pub bounded: bool,
    pub symptom: Symptom,
}

/// When the incident began: the earliest of its signals, and which gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Onset {
    pub at: Timestamp,
    pub signal: String,
    pub bounded: bool,
    pub symptom: Symptom,
    pub signals: Vec<Signal>,
    pub window: Window,
    /// What limits the answer: data that begins late, retention, queries that failed.
    pub notes: Vec<String>,
}

fn ts(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn clock(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%SZ").to_string()
}

/// The signals of `symptoms` and of the alerts among `signs`, earliest first.
pub fn signals(symptoms: &[SymptomSeries], signs: &[Sign]) -> Vec<Signal> {
    let mut out: Vec<Signal> = symptoms
        .iter()
        .filter_map(|s| {
            let e = s.episode.as_ref()?;
            Some(Signal {
                signal: s.signal.clone(),
                at: ts(e.onset),
                bounded: e.onset_bounded,
                symptom: s.symptom,
            })
        })
        .collect();
    out.extend(signs.iter().filter_map(|sign| match sign {
        Sign::AlertFiring {
            name, starts_at, ..
        } => Some(Signal {
            signal: format!("alert {name}"),
            at: *starts_at,
            bounded: true,
            symptom: Symptom::Other,
        }),
        _ => None,
    }));
    out.sort_by_key(|s| s.at);
    out
}

/// The onset from its signals, with what limits it; None when no signal has one.
pub fn onset(signals: Vec<Signal>, window: Window, notes: Vec<String>) -> Option<Onset> {
    let first = signals.first()?.clone();
    Some(Onset {
        at: first.at,
        signal: first.signal,
        bounded: first.bounded,
        symptom: first.symptom,
        signals,
        window,
        notes,
    })
}

/// What limits the symptoms' answer: a query that failed, data that begins after the window's
/// start (and Prometheus's retention when it is shorter than the window).
pub fn notes(
    symptoms: &[SymptomSeries],
    window: Window,
    retention: Option<i64>,
    now: i64,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(keep) = retention {
        if now - keep > window.start.as_second() {
            out.push(format!(
                "Prometheus keeps {}: less than the window, which starts at {}",
                crate::types::duration::fmt_age(keep as f64),
                clock(window.start)
            ));
        }
    }
    for s in symptoms {
        if let Some(e) = &s.error {
            out.push(format!("{}: not read over the window: {e}", s.signal));
            continue;
        }
        match s.coverage.first {
            None => out.push(format!("{}: no data in the window", s.signal)),
            Some(first) if first > window.start.as_second() + s.step => out.push(format!(
                "{}: no data before {} (the window starts at {})",
                s.signal,
                clock(ts(first)),
                clock(window.start)
            )),
            Some(_) => {}
        }
        for (from, to) in s.coverage.gaps.iter().take(3) {
            out.push(format!(
                "{}: no data from {} to {}",
                s.signal,
                clock(ts(*from)),
                clock(ts(*to))
            ));
        }
    }
    out
}

/// What Prometheus gave for the symptoms: each symptom, its retention, and why it could not
/// be read when it could not be reached.
#[derive(Debug, Clone, Default)]
pub struct SymptomReading {
    pub symptoms: Vec<SymptomSeries>,
    pub retention: Option<i64>,
    pub unreachable: Option<String>,
    /// Signs no check reads (configuration changes, autoscalers, certificates, traffic).
    pub extra: extra::Extra,
}

/// The symptoms and the signs no check reads, concurrently.
pub async fn read_all(r: &Readings, window: Window, reference: Timestamp) -> SymptomReading {
    let (mut reading, extra) =
        futures::join!(read_symptoms(r, window, reference), extra::read(r, window));
    reading.extra = extra;
    reading
}

/// Whether a failure means the server was not reached (or did not answer in time).
pub fn unreachable(e: &crate::types::CheckError) -> bool {
    matches!(
        e.cause,
        Some(Cause::NotReached(_) | Cause::Tls(_) | Cause::TimedOut)
    )
}

/// Reads every symptom over `window` concurrently; `reference` picks each one's episode.
pub async fn read_symptoms(r: &Readings, window: Window, reference: Timestamp) -> SymptomReading {
    use futures::future::join_all;
    let defs = symptoms::definitions(r).await;
    let mut reading = SymptomReading::default();
    let retention = crate::clients::prometheus::range::retention_secs(&r.ctx);
    let each = join_all(
        defs.iter()
            .filter_map(|d| d.as_ref().ok())
            .map(|d| symptoms::read(r, d, window, reference.as_second())),
    );
    let (retention, read) = futures::join!(retention, each);
    match retention {
        Ok(keep) => reading.retention = keep,
        Err(e) if unreachable(&e) => reading.unreachable = Some(e.message),
        Err(_) => {}
    }
    reading.symptoms = read;
    for (signal, e) in defs.into_iter().filter_map(Result::err) {
        if unreachable(&e) && reading.unreachable.is_none() {
            reading.unreachable = Some(e.message.clone());
        }
        reading.symptoms.push(SymptomSeries {
            signal,
            what: String::new(),
            unit: String::new(),
            query: String::new(),
            warning: 0.0,
            critical: 0.0,
            below: false,
            symptom: Symptom::Other,
            step: 0,
            points: Vec::new(),
            coverage: Default::default(),
            episode: None,
            error: Some(e.message),
        });
    }
    reading
}

/// The onset and the ranked suspects of a diagnosis: its checks' signs (with the status of the
/// check that saw each) and the symptoms read over `window`.
pub fn conclude(
    reading: &SymptomReading,
    seen: &[suspects::Seen],
    window: Window,
    settings: &crate::settings::Settings,
) -> (Option<Onset>, Vec<suspects::Suspect>) {
    let mut seen: Vec<suspects::Seen> = seen.to_vec();
    seen.extend(reading.extra.seen.iter().cloned());
    let signs: Vec<Sign> = seen.iter().map(|s| s.sign.clone()).collect();
    let mut notes = notes(
        &reading.symptoms,
        window,
        reading.retention,
        settings.now().as_second(),
    );
    if let Some(why) = &reading.unreachable {
        notes.insert(0, format!("prometheus unreachable: {why}"));
    }
    notes.extend(reading.extra.notes.iter().cloned());
    let onset = onset(signals(&reading.symptoms, &signs), window, notes);
    if let Some(spike) = onset
        .as_ref()
        .and_then(|o| extra::spike(&reading.extra.request_rate, o.at.as_second()))
    {
        seen.push(suspects::Seen {
            sign: spike,
            status: crate::types::Status::Warning,
            check: "the app's request rate",
        });
    }
    let cx = suspects::Context {
        onset: onset.as_ref().map(|o| (o.at, o.symptom)),
        look_back_secs: settings.kubernetes.changes_window.0.as_secs() as i64,
        namespace: &settings.namespace,
    };
    (onset, suspects::rank(&seen, &cx))
}
