//! A change, from its plan to its audit line: `plan` says what will change, `confirm` asks (or
//! refuses without a terminal and --yes), `execute` applies it once, waits for it, and records
//! the `outcome` in the `audit` log. Actions (src/actions/) only build plans and implement
//! `Action`; nothing is applied anywhere else.

mod action;
pub mod audit;
mod confirm;
mod execute;
mod outcome;
mod plan;
mod undo;

pub use action::{Action, Applied};
pub use execute::{execute, ExecuteOptions};
pub use outcome::{NotApplied, Outcome};
pub use plan::{render_plan, Change, Confirm, Plan};
pub use undo::Undo;
