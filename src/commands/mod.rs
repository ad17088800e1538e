//! One module per command: each parses nothing (clap did), runs library code, renders once.

pub mod cache;
pub mod config;
pub mod db;
pub mod diagnose;
pub mod docs;
pub mod doctor;
pub mod report;
pub mod restart;
pub mod scale;
pub mod security;
