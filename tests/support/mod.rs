//! Test support: real servers (sandbox worlds) shared by the tests of one binary, and a way to
//! run the real incidentctl binary against them with a clean environment.

#![allow(dead_code)]

use incidentctl_sandbox::scenario::Scenario;
use incidentctl_sandbox::servers;
use incidentctl_sandbox::world::World;
use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn world(cell: &'static OnceLock<Result<World, String>>, scenario: Scenario) -> &'static World {
    let result = cell.get_or_init(|| {
        // Statics are never dropped: the servers are killed when the test binary exits.
        servers::kill_all_at_exit();
        World::start(scenario)
    });
    match result {
        Ok(w) => w,
        // Fail, never skip: a server that cannot start is a test failure with its reason.
        Err(e) => panic!("the {scenario:?} sandbox could not start: {e}"),
    }
}

/// The seeded incident (shared by every test in this binary).
pub fn incident() -> &'static World {
    static CELL: OnceLock<Result<World, String>> = OnceLock::new();
    world(&CELL, Scenario::Incident)
}

/// The same platform, healthy.
pub fn healthy() -> &'static World {
    static CELL: OnceLock<Result<World, String>> = OnceLock::new();
    world(&CELL, Scenario::Healthy)
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// All text the user saw.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs the real binary with only PATH, HOME, the world's environment and `env`; no stdin.
pub fn incidentctl(world: Option<&World>, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_incidentctl"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env(
            "XDG_CONFIG_HOME",
            std::env::temp_dir().join("incidentctl-tests-no-config"),
        )
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null());
    if let Some(w) = world {
        cmd.envs(w.env());
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let output = cmd.output().expect("run incidentctl");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// The `checks[]` element with this id.
pub fn check<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["checks"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no check {id} in {doc:#}"))
}

pub fn status<'a>(doc: &'a serde_json::Value, id: &str) -> &'a str {
    check(doc, id)["status"].as_str().unwrap_or("?")
}

/// A TCP server that accepts connections and never answers (a hung target).
pub fn hung_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for mut stream in listener.incoming().flatten() {
            // Read what the client sends so it does not see a reset; never write back.
            let mut buf = [0u8; 1024];
            let _ = stream.set_nonblocking(true);
            let _ = stream.read(&mut buf);
            held.push(stream);
        }
    });
    addr
}

/// A loopback port with nothing listening (a down target).
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    port
}
