//! PostgreSQL: sockets opened for tokio-postgres, and the password file.

pub mod connect;
pub mod pgpass;
