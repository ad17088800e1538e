//! Free ports on 127.0.0.1, and whether a process really listens on one.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::net::TcpListener;
use std::sync::Mutex;

static HANDED_OUT: Mutex<Option<HashSet<u16>>> = Mutex::new(None);

/// A port that was free on 127.0.0.1 a moment ago (bind port 0, read it, drop the socket).
/// Within this process the same port is never handed out twice.
pub fn free_port() -> u16 {
    let mut guard = HANDED_OUT.lock().unwrap_or_else(|e| e.into_inner());
    let seen = guard.get_or_insert_with(HashSet::new);
    for _ in 0..50 {
        let port = match TcpListener::bind(("127.0.0.1", 0)).and_then(|l| l.local_addr()) {
            Ok(addr) => addr.port(),
            Err(_) => pseudo_random_port(),
        };
        if seen.insert(port) {
            return port;
        }
    }
    // Extremely unlikely: fall back to any port not handed out before.
    loop {
        let port = pseudo_random_port();
        if seen.insert(port) {
            return port;
        }
    }
}

/// Used only when binding port 0 fails; the server start will then report the real problem.
fn pseudo_random_port() -> u16 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mix = nanos ^ std::process::id().wrapping_mul(2_654_435_761);
    20_000 + (mix % 40_000) as u16
}

pub(super) fn port_in_use(log_text: &str) -> bool {
    log_text
        .to_ascii_lowercase()
        .contains("address already in use")
}

/// Whether process `pid` holds a listening TCP socket on 127.0.0.1:`port` (or 0.0.0.0).
/// Guards against answering a readiness probe from some other process that grabbed the port.
/// Unknown (no /proc) counts as yes.
pub(super) fn listens_on(pid: i32, port: u16) -> bool {
    let Ok(table) = fs::read_to_string("/proc/net/tcp") else {
        return true;
    };
    let wanted = [
        format!("0100007F:{port:04X}"),
        format!("00000000:{port:04X}"),
    ];
    let inodes: Vec<String> = table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
            if cols.len() > 9 && cols[3] == "0A" && wanted.iter().any(|w| w == cols[1]) {
                Some(format!("socket:[{}]", cols[9]))
            } else {
                None
            }
        })
        .collect();
    if inodes.is_empty() {
        return false;
    }
    let fds = match fs::read_dir(format!("/proc/{pid}/fd")) {
        Ok(fds) => fds,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return false,
        Err(_) => return true,
    };
    fds.flatten().any(|fd| {
        fs::read_link(fd.path())
            .map(|target| inodes.iter().any(|i| target.as_os_str() == i.as_str()))
            .unwrap_or(false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_differ() {
        let a = free_port();
        let b = free_port();
        assert_ne!(a, b);
        assert!(a > 0 && b > 0);
    }

    #[test]
    fn listener_ownership() {
        assert!(port_in_use("bind: Address already in use"));
        assert!(port_in_use(
            "listen tcp 127.0.0.1:1: bind: address already in use"
        ));
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind");
        let port = listener.local_addr().expect("addr").port();
        assert!(listens_on(std::process::id() as i32, port));
        assert!(!listens_on(i32::MAX - 1, port));
    }
}
