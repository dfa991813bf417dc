"""A push service and the browsers behind it, for tests/it/push.rs.

Plays what Chromium and its push service do for Web Push (RFC 8030): makes a P-256 key pair and auth secret
per subscriber (as a browser does for PushManager.subscribe), prints their subscriptions, accepts spot's POSTs
at /push/<name>, checks the VAPID Authorization header (RFC 8292: an ES256 JWT whose audience is this origin,
unexpired, signed by the key given as k=), and decrypts each body with the subscriber's private key using the
real `http_ece` library (RFC 8291, aes128gcm). The endpoint /push/gone answers 410 as a push service does for
an expired subscription.

Usage: receiver.py NAME...   (prints one JSON line per event on stdout)
  {"ready": {"port": P, "subscriptions": {NAME: {"endpoint", "keys": {"p256dh", "auth"}}}}}
  {"push": {"to": NAME, "payload": {...}, "vapid_key": "...", "ttl": "...", "urgency": "..."}}
  {"refused": {"to": NAME, "why": "..."}}   (a push that failed a check; the test fails on it)
"""

import base64
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def emit(key, value):
    print(json.dumps({key: value}), flush=True)


class Subscriber:
    def __init__(self):
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.public = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.auth = os.urandom(16)


def check_vapid(header: str, origin: str) -> str:
    """Returns the signing key (k=) of a valid `vapid t=…, k=…` header; raises ValueError otherwise."""
    if not header.startswith("vapid "):
        raise ValueError(f"not a vapid Authorization header: {header!r}")
    parts = dict(p.strip().split("=", 1) for p in header[len("vapid "):].split(","))
    token, key = parts["t"], parts["k"]
    head, claims, signature = token.split(".")
    if json.loads(unb64url(head)).get("alg") != "ES256":
        raise ValueError("the JWT is not ES256")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise ValueError("the VAPID signature does not verify")
    body = json.loads(unb64url(claims))
    if body.get("aud") != origin:
        raise ValueError(f"aud {body.get('aud')!r} is not {origin!r}")
    if not (time.time() < body.get("exp", 0) <= time.time() + 24 * 3600 + 60):
        raise ValueError(f"exp {body.get('exp')} is not within 24 hours")
    if not str(body.get("sub", "")).startswith(("mailto:", "https:")):
        raise ValueError(f"sub {body.get('sub')!r} is not a mailto: or https: contact")
    return key


def main():
    names = sys.argv[1:]
    subscribers = {name: Subscriber() for name in names + ["gone"]}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            name = self.path.rsplit("/", 1)[-1]
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            if name == "gone":
                self.send_response(410)
                self.end_headers()
                emit("gone", {"to": name})
                return
            subscriber = subscribers.get(name)
            try:
                if subscriber is None:
                    raise ValueError(f"no subscriber {name}")
                if self.headers.get("content-encoding") != "aes128gcm":
                    raise ValueError(f"content-encoding {self.headers.get('content-encoding')!r}")
                origin = f"http://127.0.0.1:{self.server.server_port}"
                key = check_vapid(self.headers.get("authorization", ""), origin)
                plain = http_ece.decrypt(
                    body, private_key=subscriber.private, auth_secret=subscriber.auth, version="aes128gcm"
                )
                payload = json.loads(plain)
            except Exception as error:  # a failed check is reported, and the push refused
                self.send_response(400)
                self.end_headers()
                emit("refused", {"to": name, "why": str(error)})
                return
            self.send_response(201)
            self.end_headers()
            emit(
                "push",
                {
                    "to": name,
                    "payload": payload,
                    "vapid_key": key,
                    "ttl": self.headers.get("ttl"),
                    "urgency": self.headers.get("urgency"),
                },
            )

    server = HTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_port
    emit(
        "ready",
        {
            "port": port,
            "subscriptions": {
                name: {
                    "endpoint": f"http://127.0.0.1:{port}/push/{name}",
                    "expirationTime": None,
                    "keys": {"p256dh": b64url(s.public), "auth": b64url(s.auth)},
                }
                for name, s in subscribers.items()
            },
        },
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
