//! Health check, security headers on every response, embedded assets with ETags, and 404s.

use crate::support::Instance;

#[tokio::test]
async fn headers_assets_and_health() {
    let instance = Instance::new("");
    let server = instance.serve();
    let mut browser = server.browser();

    let health = browser.get("/healthz").await;
    assert_eq!(health.status(), 200);

    for path in ["/login", "/healthz", "/assets/spot.css", "/nope", "/api/v10/users/@me"] {
        let response = browser.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert!(headers.contains_key("x-request-id"), "{path}");
    }

    let login = browser.get("/login").await.text().await.unwrap();
    assert!(!login.contains("<script"), "pages carry no inline script");

    let css = browser.get("/assets/spot.css").await;
    assert_eq!(css.status(), 200);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    assert_eq!(css.headers()["cache-control"], "no-cache");
    let etag = css.headers()["etag"].to_str().unwrap().to_owned();
    let cached = browser
        .send(reqwest::Method::GET, "/assets/spot.css", |r| {
            r.header("if-none-match", &etag)
        })
        .await;
    assert_eq!(cached.status(), 304);
    let stale = browser
        .send(reqwest::Method::GET, "/assets/spot.css", |r| {
            r.header("if-none-match", "\"old\"")
        })
        .await;
    assert_eq!(stale.status(), 200);

    assert_eq!(browser.get("/assets/missing.js").await.status(), 404);
    assert_eq!(browser.get("/no/such/page").await.status(), 404);
    let api = browser.get("/api/v10/no/such/route").await;
    assert_eq!(api.status(), 404);
    assert_eq!(
        api.json::<serde_json::Value>().await.unwrap()["message"],
        "404: Not Found"
    );
    let unversioned = browser.get("/api/users/@me").await;
    assert_eq!(
        unversioned.status(),
        401,
        "the API also answers without the version prefix"
    );
    assert_eq!(browser.get("/").await.headers()["location"], "/login");
    server.stop();
}
