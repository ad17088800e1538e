//! Every send is a timeline entry: the incident's timeline holds one entry per attempt the
//! ledger records, keyed by the attempt (`step/audience/channel#n`), so however many processes
//! record it, and even after a crash between the ledger and the incident, it is entered once.

use super::ledger::{Record, State};
use super::Step;
use crate::report::model::{EntryKind, Incident};
use jiff::Timestamp;

fn clock(t: Timestamp) -> String {
    t.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%H:%M UTC")
        .to_string()
}

/// The entry for a record's last attempt; None while it is still being sent.
pub fn entry(r: &Record, to: &str) -> Option<(EntryKind, String)> {
    let what = format!(
        "{} to {} by {}{}",
        r.step.described(),
        r.audience,
        r.channel.as_str(),
        if to.is_empty() {
            String::new()
        } else {
            format!(" ({to})")
        }
    );
    let attempt = if r.attempts > 1 {
        format!(" (attempt {})", r.attempts)
    } else {
        String::new()
    };
    Some(match r.state {
        State::Sending => return None,
        State::Sent => (EntryKind::Notified, format!("{what}{attempt}: sent")),
        State::Failed => {
            let next = r
                .next_attempt_at
                .map(|t| format!("; tried again after {}", clock(t)))
                .unwrap_or_default();
            (
                EntryKind::NotifyFailed,
                format!("{what}{attempt}: not delivered: {}{next}", r.detail),
            )
        }
        State::MayHaveBeenSent => (
            EntryKind::NotifyUnknown,
            format!(
                "{what}{attempt}: may have been sent: {}; not sent again (report escalate --resend sends it)",
                r.detail
            ),
        ),
    })
}

/// Adds the entries of `records` the timeline lacks; `to` says where each went. Returns
/// whether anything was added. A sent notice or update also restarts the update clock.
pub fn add_missing(i: &mut Incident, records: &[(Record, String)], author: &str) -> bool {
    let mut added = false;
    for (r, to) in records {
        let id = r.entry_id();
        if i.timeline
            .iter()
            .any(|e| e.notification.as_deref() == Some(id.as_str()))
        {
            continue;
        }
        let Some((kind, text)) = entry(r, to) else {
            continue;
        };
        i.add(
            r.last_attempt_at,
            kind,
            crate::output::redact::secrets(&text),
            author,
        );
        if let Some(e) = i.timeline.last_mut() {
            e.notification = Some(id);
        }
        if r.state == State::Sent && matches!(r.step, Step::Severity(_) | Step::Update(_)) {
            let latest = i
                .last_notified_at
                .map_or(r.last_attempt_at, |t| t.max(r.last_attempt_at));
            i.last_notified_at = Some(latest);
        }
        added = true;
    }
    added
}
