//! For tests: a terminal that answers from a script (the console's, the confirmation's and
//! the change pipeline's tests share it).

use super::console::Prompter;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// A terminal (or none) that answers from a script and remembers what it was asked. With
/// `interrupt`, Ctrl-C is pressed while the question waits for its answer.
pub struct Scripted {
    pub interactive: bool,
    pub answer: &'static str,
    pub asked: Mutex<Vec<String>>,
    pub interrupt: Option<Arc<Notify>>,
}

impl Scripted {
    /// What it was asked, in order.
    pub fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

impl Prompter for Scripted {
    fn interactive(&self) -> bool {
        self.interactive
    }

    fn ask(&self, question: &str) -> std::io::Result<String> {
        self.asked.lock().unwrap().push(question.to_string());
        if let Some(interrupt) = &self.interrupt {
            interrupt.notify_one();
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(format!("{}\n", self.answer))
    }
}

/// A terminal when `interactive`, answering `answer` to every question.
pub fn terminal(interactive: bool, answer: &'static str) -> Arc<Scripted> {
    Arc::new(Scripted {
        interactive,
        answer,
        asked: Mutex::new(Vec::new()),
        interrupt: None,
    })
}
