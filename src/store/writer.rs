//! The writer thread: the one connection that writes, with group commit.
//!
//! Writes queued while a transaction runs are committed together: the thread takes every job waiting (up to
//! [`MAX_BATCH`]), runs each in its own savepoint inside one `BEGIN IMMEDIATE … COMMIT`, and only after the
//! commit tells each caller its result. A job that fails rolls back to its savepoint and leaves the others
//! alone; a failed commit fails them all. Nobody hears "stored" before the commit that stored it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;

use rusqlite::Connection;

/// Most writes in one transaction.
pub(super) const MAX_BATCH: usize = 64;

/// Called after the batch's commit with its outcome.
pub(super) type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;

/// A write: runs inside the batch (given the connection) and says whether it succeeded; `None` means the batch
/// could not start.
pub(super) type WriteJob = Box<dyn FnOnce(Option<&Connection>) -> (bool, Completion) + Send>;

/// Runs until every sender is gone.
pub(super) fn run(conn: Connection, jobs: mpsc::Receiver<WriteJob>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        run_batch(&conn, batch);
    }
}

fn run_batch(conn: &Connection, batch: Vec<WriteJob>) {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        for job in batch {
            let (_, done) = job(None);
            done(Err(e.to_string()));
        }
        return;
    }
    let mut completions = Vec::with_capacity(batch.len());
    for job in batch {
        if conn.execute_batch("SAVEPOINT job").is_err() {
            let (_, done) = job(None);
            completions.push(done);
            continue;
        }
        match catch_unwind(AssertUnwindSafe(|| job(Some(conn)))) {
            Ok((true, done)) => {
                let _ = conn.execute_batch("RELEASE job");
                completions.push(done);
            }
            Ok((false, done)) => {
                let _ = conn.execute_batch("ROLLBACK TO job; RELEASE job");
                completions.push(done);
            }
            // A panicking job's caller sees its reply channel close; the others go on.
            Err(_) => {
                let _ = conn.execute_batch("ROLLBACK TO job; RELEASE job");
            }
        }
    }
    let committed = conn.execute_batch("COMMIT").map_err(|e| e.to_string());
    if committed.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    for done in completions {
        done(committed.clone());
    }
}
