#!/usr/bin/python3
"""An independent XMPP client for chatgate's tests (Debian's python3-slixmpp).

Usage: xmpp_client.py JID PASSWORD HOST PORT
Commands on stdin, one JSON object per line:
  {"cmd": "send", "to": JID, "body": TEXT}         send a chat message asking for a receipt
  {"cmd": "subscribe", "to": JID}                  ask for presence subscription (and approve theirs)
  {"cmd": "presence", "show": "away", "status": S} change presence ("" show = available)
  {"cmd": "stop"}                                  disconnect and exit
Events on stdout, one JSON object per line:
  {"event": "session_start"}, {"event": "message", "from": BARE, "body": .., "id": ..},
  {"event": "receipt", "id": ..}, {"event": "presence", "from": BARE, "type": ..},
  {"event": "disconnected"}, {"event": "failed_auth"}, {"event": "ok", "cmd": ..}
Subscription requests from anyone are approved (a test contact is friendly by design).
"""
import asyncio
import json
import sys

import slixmpp


def emit(**kw):
    sys.stdout.write(json.dumps(kw, ensure_ascii=False) + "\n")
    sys.stdout.flush()


class Client(slixmpp.ClientXMPP):
    def __init__(self, jid, password):
        super().__init__(jid, password)
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0199")
        self.register_plugin("xep_0184")
        self["xep_0184"].auto_ack = True
        self["xep_0184"].auto_request = True
        self.auto_authorize = True
        self.auto_subscribe = True
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("receipt_received", self.on_receipt)
        self.add_event_handler("presence", self.on_presence)
        self.add_event_handler("failed_auth", lambda e: emit(event="failed_auth"))
        self.add_event_handler("disconnected", lambda e: emit(event="disconnected"))

    async def on_start(self, event):
        self.send_presence()
        await self.get_roster()
        emit(event="session_start")
        asyncio.get_event_loop().create_task(self.read_commands())

    def on_message(self, msg):
        if msg["type"] in ("chat", "normal") and msg["body"]:
            emit(event="message", **{"from": msg["from"].bare, "body": msg["body"], "id": msg["id"],
                                      "receipt_requested": bool(msg["request_receipt"])})

    def on_receipt(self, msg):
        emit(event="receipt", id=msg["receipt"])

    def on_presence(self, pres):
        emit(event="presence", **{"from": pres["from"].bare, "type": pres["type"]})

    async def read_commands(self):
        loop = asyncio.get_event_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while True:
            line = await reader.readline()
            if not line:
                self.disconnect()
                return
            try:
                c = json.loads(line)
            except ValueError:
                continue
            cmd = c.get("cmd")
            if cmd == "send":
                m = self.make_message(mto=c["to"], mbody=c["body"], mtype="chat")
                m["request_receipt"] = True
                m.send()
                emit(event="ok", cmd=cmd, id=m["id"])
            elif cmd == "subscribe":
                self.send_presence_subscription(pto=c["to"])
                emit(event="ok", cmd=cmd)
            elif cmd == "presence":
                self.send_presence(pshow=c.get("show") or None, pstatus=c.get("status"))
                emit(event="ok", cmd=cmd)
            elif cmd == "stop":
                emit(event="ok", cmd=cmd)
                self.disconnect()
                return


def main():
    jid, password, host, port = sys.argv[1:5]
    c = Client(jid, password)
    c.connect(address=(host, int(port)), force_starttls=False, disable_starttls=True)
    c.loop.run_until_complete(c.disconnected)


if __name__ == "__main__":
    main()
