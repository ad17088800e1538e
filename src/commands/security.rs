//! `incidentctl security block-ip | unblock-ip | reset-sessions | log-level | config`

use crate::actions::{config_view, db, env, network};
use crate::change::{self, Undo};
use crate::cli::{LogLevel, OutputFormat, SecurityCommand};
use crate::clients::Context;
use crate::error::{ExitCode, Result};
use crate::output;

pub async fn run(command: &SecurityCommand, ctx: &Context) -> Result<ExitCode> {
    match command {
        SecurityCommand::BlockIp(args) | SecurityCommand::UnblockIp(args) => {
            let block = matches!(command, SecurityCommand::BlockIp(_));
            let action = network::plan(ctx, &args.cidr, block).await?;
            change::execute(ctx, &super::execute_options(&args.change), action).await
        }
        SecurityCommand::ResetSessions(args) => {
            let older_than = args.older_than.0;
            let action = db::reset_sessions(ctx, older_than).await?;
            change::execute(ctx, &super::execute_options(&args.change), action).await
        }
        SecurityCommand::LogLevel(args) => {
            let level = match args.level {
                LogLevel::Debug => "debug",
                LogLevel::Info => "info",
                LogLevel::Warn => "warn",
                LogLevel::Error => "error",
            };
            let a = &ctx.settings.actions;
            let ns = ctx.settings.namespace.clone();
            let action = env::plan(
                ctx,
                "security log-level",
                &a.log_level_deployment,
                &a.log_level_env,
                level,
                |old| Undo::command(["incidentctl", "security", "log-level", "-n", &ns, "--", old]),
            )
            .await?;
            change::execute(ctx, &super::execute_options(&args.change), action).await
        }
        SecurityCommand::Config(_) => {
            let view = config_view::view(ctx).await?;
            let text = match ctx.settings.output {
                OutputFormat::Json => output::json::to_string(&view)?,
                _ => {
                    let mut out: String = view.found.iter().map(|f| format!("{f}\n")).collect();
                    out.push_str(&format!(
                        "configmap {} ({}):\n",
                        view.configmap, view.namespace
                    ));
                    for (k, v) in &view.config {
                        out.push_str(&format!("  {k} = {v}\n"));
                    }
                    out.push_str(&format!("secret {} (values never shown):\n", view.secret));
                    for (k, f) in &view.secret_keys {
                        out.push_str(&format!("  {k}: {f}\n"));
                    }
                    out
                }
            };
            ctx.console.data(text)?;
            Ok(ExitCode::Ok)
        }
    }
}
