//! `spot backup` while writes are running, and `spot restore` of the result into a working instance.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::support::{ADMIN, ADMIN_PASSWORD, Instance};

#[tokio::test]
async fn backup_under_load_restores_consistently() {
    let instance = Arc::new(Instance::new(
        "[security]\nlogin_ip_burst = 1000\nlogin_user_burst = 1000\n",
    ));
    let server = instance.serve();

    // Writers: logins through the server (session rows) and invites through the CLI (another process).
    let stop = Arc::new(AtomicBool::new(false));
    let writes = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for _ in 0..2 {
        let (base, stop, writes) = (server.base.clone(), Arc::clone(&stop), Arc::clone(&writes));
        writers.push(tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let mut browser = crate::support::Browser::new(&base);
                assert_eq!(browser.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
                writes.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    let cli = {
        let (instance, stop, writes) = (Arc::clone(&instance), Arc::clone(&stop), Arc::clone(&writes));
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                instance.invite(&[]);
                writes.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    while writes.load(Ordering::SeqCst) < 4 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let backups = instance.dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let file = backups.join("spot-backup.db");
    let before = writes.load(Ordering::SeqCst);
    let output = instance.run(&["backup", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    while writes.load(Ordering::SeqCst) < before + 4 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.await.unwrap();
    }
    cli.join().unwrap();
    assert_eq!(
        std::fs::read_dir(&backups).unwrap().count(),
        1,
        "no temporary files are left beside the backup"
    );

    // The backup is an intact database.
    assert_eq!(spot::store::verify_database(&file).unwrap(), 1);

    // Restoring refuses to run under a live server...
    let refused = instance.run(&["restore", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("stop it before restoring"));
    server.stop();

    // ...and works into another instance, which then serves the restored accounts.
    let other = Instance::new("");
    std::fs::remove_file(other.data_dir().join("spot.db")).unwrap();
    let restored = other.run(&["restore", file.to_str().unwrap()]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let server = other.serve();
    let mut browser = server.browser();
    assert_eq!(browser.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let home = browser.get("/").await.text().await.unwrap();
    assert!(home.contains("general"));
    server.stop();

    // A file that is not a spot database is refused and the current database is kept.
    let junk = instance.dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not sqlite").unwrap();
    let bad = other.run(&["restore", junk.to_str().unwrap()]);
    assert!(!bad.status.success());
    assert!(spot::store::verify_database(&other.data_dir().join("spot.db")).is_ok());
}
