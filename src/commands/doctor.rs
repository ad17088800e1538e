//! `incidentctl doctor [--send-test]`

use crate::cli::OutputFormat;
use crate::clients::Context;
use crate::error::{ExitCode, Result};
use crate::output;
use std::sync::Arc;

pub async fn run(send_test: bool, ctx: Arc<Context>) -> Result<ExitCode> {
    let console = ctx.console.clone();
    let format = ctx.settings.output;
    let rows = crate::doctor::run(ctx, send_test).await;
    let text = match format {
        OutputFormat::Json => output::json::to_string(&rows)?,
        _ => {
            let mut t = comfy_table::Table::new();
            t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
            t.force_no_tty();
            t.set_header(vec!["AREA", "REQUIREMENT", "STATUS", "DETAIL", "FIX"]);
            for r in &rows {
                t.add_row(vec![
                    r.area.to_string(),
                    r.requirement.clone(),
                    r.status.as_str().to_uppercase(),
                    r.detail.clone(),
                    r.fix.clone().unwrap_or_default(),
                ]);
            }
            format!("{t}\n")
        }
    };
    console.data(text)?;
    Ok(crate::types::Status::overall(rows.iter().map(|r| r.status)).into())
}
