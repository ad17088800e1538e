//! `report render`, `report cause accept` and the evidence the post-mortem stands on: the
//! impact (frozen at close, else measured now), the changes from the audit log, the picture.

use super::Verb;
use crate::cli::{OutputFormat, RenderFormat};
use crate::error::{ExitCode, Result};
use crate::output;
use crate::report::model::Incident;
use crate::report::postmortem::{self, Evidence};
use crate::report::render;

/// The impact (frozen at close, else measured now over the incident's window) and the changes
/// made for it.
pub(super) async fn evidence(v: &Verb, i: &Incident) -> Evidence {
    let changes = crate::report::changes_from_audit(&v.settings.audit_log, &i.id);
    if let Some(frozen) = &i.impact {
        return Evidence {
            impact: Some(frozen.clone()),
            changes,
        };
    }
    let end = i.resolved_at.unwrap_or(v.now);
    let window = crate::diagnose::analysis::Window::around(i.created_at, end);
    let alerts: Vec<crate::diagnose::analysis::Signal> = i
        .suspected
        .iter()
        .flat_map(|s| s.onset.iter())
        .flat_map(|o| o.signals.iter())
        .filter(|s| s.signal.starts_with("alert "))
        .cloned()
        .collect();
    let readings = crate::checks::Readings::new(v.ctx.clone());
    // Every query is bounded by the timeout; the whole measure by a few of them.
    let limit = v.settings.timeout.0 * 4;
    let measured = tokio::time::timeout(
        limit,
        crate::diagnose::analysis::impact::measure(&readings, window, i.created_at, &alerts),
    )
    .await;
    let impact = match measured {
        Ok(m) => m,
        Err(_) => crate::diagnose::analysis::impact::Impact::unknown(
            window,
            format!(
                "prometheus unreachable: no answer within {}",
                crate::types::Dur(limit)
            ),
        ),
    };
    Evidence {
        impact: Some(impact),
        changes,
    }
}

pub(super) async fn render(v: &Verb, id: &str, format: Option<RenderFormat>) -> Result<ExitCode> {
    let i = v.store.get(id).await?;
    let extra = v.audit_actions(id);
    let format = format.unwrap_or(if v.settings.output == OutputFormat::Json {
        RenderFormat::Json
    } else {
        RenderFormat::Markdown
    });
    let evidence = evidence(v, &i).await;
    let picture = evidence.impact.as_ref().and_then(|m| {
        crate::report::picture::svg(
            &m.symptoms,
            crate::report::picture::span(m.window, m.onset),
            &postmortem::markers(&i, &evidence),
        )
    });
    let text = match format {
        RenderFormat::Json => {
            let doc = serde_json::json!({"incident": i, "clocks": v.clocks(&i), "timeline": render::timeline(&i, &extra),
                "impact": evidence.impact, "stamps": postmortem::stamps(&i, &evidence), "changes": evidence.changes});
            output::json::to_string(&doc)?
        }
        RenderFormat::Markdown => {
            let link = match &picture {
                Some(svg) => Some(keep_picture(v, &i.id, svg).await?),
                None => None,
            };
            render::markdown(
                &i,
                &extra,
                v.now,
                v.update_interval,
                &evidence,
                link.as_deref(),
            )
        }
        RenderFormat::Html => {
            let md = render::markdown(&i, &extra, v.now, v.update_interval, &evidence, None);
            render::html(&i.id, &md, picture.as_deref())
        }
    };
    v.ctx.console.data(text)?;
    Ok(ExitCode::Ok)
}

/// Keeps the picture with the incident's evidence; where the Markdown links to it.
async fn keep_picture(v: &Verb, id: &str, svg: &str) -> Result<String> {
    let stem = format!(
        "symptoms-{}",
        v.now
            .to_zoned(jiff::tz::TimeZone::UTC)
            .strftime("%Y%m%dT%H%M%SZ")
    );
    let name = v
        .store
        .add_evidence(id, &stem, "svg", svg.as_bytes())
        .await?;
    Ok(v.store
        .evidence_path(id, &name)
        .map_or(name, |p| p.display().to_string()))
}

pub(super) async fn accept_cause(v: &Verb, id: &str, rank: usize) -> Result<ExitCode> {
    let i = v.update(id, |i, act| i.accept_cause(rank, act)).await?;
    v.emit(&i, || {
        format!(
            "{}: root cause: {}\n",
            i.id,
            i.fields.root_cause.clone().unwrap_or_default()
        )
    })
}
