//! The installable app and what a phone downloads: the manifest and its icons (PNG, the sizes named), the
//! service worker at the root, and compression — the bundle's precompressed brotli and gzip copies chosen by
//! Accept-Encoding (first-load JS + CSS within 60 KB: the script, the stylesheet and the chunks the page
//! preloads), pages and API JSON compressed on the fly, images never.

use std::io::Read;

use reqwest::Method;

use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance};

async fn fetch(browser: &mut Browser, path: &str, encoding: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = browser
        .send(Method::GET, path, |r| {
            if encoding.is_empty() {
                r
            } else {
                r.header("accept-encoding", encoding)
            }
        })
        .await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

fn encoding(headers: &reqwest::header::HeaderMap) -> &str {
    headers.get("content-encoding").map_or("", |v| v.to_str().unwrap())
}

#[tokio::test]
async fn manifest_icons_worker_and_compression() {
    let instance = Instance::new("");
    let server = instance.serve();
    let mut browser = server.browser();
    assert_eq!(browser.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let home = browser.get("/").await.text().await.unwrap();
    assert!(home.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#));

    // The manifest: standalone, the space's name, icons that exist at the sizes they claim, maskable ones too.
    let (status, headers, body) = fetch(&mut browser, "/manifest.webmanifest", "").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/manifest+json");
    let manifest: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "/");
    assert!(!manifest["name"].as_str().unwrap().is_empty());
    let icons = manifest["icons"].as_array().unwrap();
    assert!(icons.iter().any(|i| i["purpose"] == "maskable"));
    for icon in icons {
        let (status, headers, png) = fetch(&mut browser, icon["src"].as_str().unwrap(), "gzip, br").await;
        assert_eq!(
            (status, &headers["content-type"]),
            (200, &"image/png".parse::<reqwest::header::HeaderValue>().unwrap())
        );
        assert_eq!(encoding(&headers), "", "images are never recompressed");
        let picture = image::load_from_memory(&png).unwrap();
        let side: u32 = icon["sizes"]
            .as_str()
            .unwrap()
            .split('x')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!((picture.width(), picture.height()), (side, side));
    }
    assert_eq!(fetch(&mut browser, "/app-icons/77.png", "").await.0, 404);

    // The service worker, from the root, always revalidated.
    let (status, headers, script) = fetch(&mut browser, "/sw.js", "").await;
    assert_eq!(status, 200);
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert_eq!(headers["cache-control"], "no-cache");
    assert!(
        String::from_utf8_lossy(&script).contains("/assets/app."),
        "the worker names the app shell"
    );

    // The bundle: brotli when accepted, else gzip, else plain; each the same file once decoded.
    let asset = |kind: &str| {
        let at = home.find(&format!(".{kind}\"")).unwrap();
        let start = home[..at].rfind("/assets/").unwrap();
        home[start..at + kind.len() + 1].to_owned()
    };
    // The shared chunks the script imports load with it: the page names them as modulepreload links.
    let preloads: Vec<String> = home
        .split(r#"<link rel="modulepreload" href=""#)
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect();
    assert!(preloads.iter().all(|p| p.starts_with("/assets/chunk.")), "{preloads:?}");
    let mut first_load_br = 0;
    let mut first_load_gzip = 0;
    for path in [asset("js"), asset("css")].into_iter().chain(preloads) {
        let (_, headers, plain) = fetch(&mut browser, &path, "").await;
        assert_eq!(encoding(&headers), "");
        let (_, headers, gz) = fetch(&mut browser, &path, "gzip, deflate").await;
        assert_eq!(encoding(&headers), "gzip");
        assert_eq!(headers["vary"], "accept-encoding");
        assert_eq!(gunzip(&gz), plain, "{path}: the gzip copy is the file");
        let (_, headers, br) = fetch(&mut browser, &path, "gzip, deflate, br").await;
        assert_eq!(encoding(&headers), "br");
        assert!(br.len() < gz.len(), "{path}: brotli is smaller than gzip");
        first_load_br += br.len();
        first_load_gzip += gz.len();
    }
    eprintln!("first load: {first_load_br} bytes with brotli, {first_load_gzip} with gzip");
    assert!(
        first_load_br <= 60_000,
        "first-load JS (with its preloaded chunks) + CSS is {first_load_br} bytes with brotli"
    );

    // Pages and API JSON are compressed on the fly.
    let (_, headers, page) = fetch(&mut browser, "/", "gzip").await;
    assert_eq!(encoding(&headers), "gzip");
    assert!(String::from_utf8(gunzip(&page)).unwrap().contains("<div id=\"app\">"));
    let (_, headers, me) = fetch(&mut browser, "/api/v10/users/@me", "gzip").await;
    assert_eq!(encoding(&headers), "gzip");
    let me: serde_json::Value = serde_json::from_slice(&gunzip(&me)).unwrap();
    assert_eq!(me["username"], ADMIN);
    server.stop();
}
