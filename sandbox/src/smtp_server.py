"""A real SMTP server for incidentctl's tests and sandbox: Debian's aiosmtpd (python3-aiosmtpd).

Run with Debian's interpreter (/usr/bin/python3). Every message accepted is appended to
DIR/mailbox.jsonl as one JSON object: the envelope, the headers incidentctl must set (decoded),
the text body (decoded), whether the session was encrypted and authenticated, and the raw
message. A message is written only once the server has taken it, just before it answers 250.

While the file DIR/stall exists, the server holds every DATA after the final dot, before
answering (it writes DIR/stalled first): a client waiting there is "in the middle of DATA", and
a test can kill it at that moment.

Modes: plain; starttls (STARTTLS offered and required before MAIL); smtps (implicit TLS).
With --user and --password-file, AUTH is required (and, with STARTTLS, only once encrypted).
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--mode", choices=["plain", "starttls", "smtps"], default="plain")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--user")
    p.add_argument("--password-file")
    return p.parse_args()


ARGS = parse_args()


def header(msg, name):
    value = msg[name]
    return None if value is None else str(value)


class Mailbox:
    async def handle_DATA(self, server, session, envelope):
        stall = os.path.join(ARGS.dir, "stall")
        if os.path.exists(stall):
            with open(os.path.join(ARGS.dir, "stalled"), "w") as f:
                f.write(",".join(envelope.rcpt_tos))
            while os.path.exists(stall):
                await asyncio.sleep(0.02)
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": header(msg, "From"),
            "to": header(msg, "To"),
            "subject": header(msg, "Subject"),
            "date": header(msg, "Date"),
            "message_id": header(msg, "Message-ID"),
            "content_type": header(msg, "Content-Type"),
            "body": body.get_content() if body is not None else None,
            # The connection itself says whether it is encrypted (STARTTLS or implicit TLS).
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "raw": raw.decode("utf-8", "replace"),
        }
        with open(os.path.join(ARGS.dir, "mailbox.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        return "250 OK: queued"


def authenticator(expected_user, expected_password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == expected_user
            and auth_data.password.decode() == expected_password
        )
        return AuthResult(success=ok, handled=False)

    return check


def main():
    params = {"hostname": "127.0.0.1", "port": ARGS.port, "enable_SMTPUTF8": True}
    context = None
    if ARGS.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(ARGS.cert, ARGS.key)
    if ARGS.mode == "starttls":
        params.update(tls_context=context, require_starttls=True)
    elif ARGS.mode == "smtps":
        params.update(ssl_context=context)
    if ARGS.user:
        with open(ARGS.password_file, encoding="utf-8") as f:
            password = f.read().strip()
        params.update(
            authenticator=authenticator(ARGS.user, password),
            auth_required=True,
            # aiosmtpd 1.4 counts only STARTTLS as TLS and would not offer AUTH on an
            # implicit-TLS connection, which is encrypted from the first byte.
            auth_require_tls=ARGS.mode != "smtps",
        )
    controller = Controller(Mailbox(), **params)
    controller.start()
    print(f"smtp server ready on 127.0.0.1:{ARGS.port} ({ARGS.mode})", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    sys.exit(main())
