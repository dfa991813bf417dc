"""A discord.py bot driven by the integration tests against a real spot server.

Usage: SPOT_URL=http://127.0.0.1:PORT SPOT_BOT_TOKEN=... python dpy_bot.py
Prints one JSON object per line for each step; the Rust test reads them and checks the server's side.
"""

import asyncio
import io
import json
import logging
import os
import sys
import time

import discord
import yarl

BASE = os.environ["SPOT_URL"].rstrip("/")
discord.http.Route.BASE = BASE + "/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(BASE.replace("http", "ws", 1) + "/gateway")


def report(key, value=None):
    print(json.dumps({key: value}), flush=True)


class RateLimitCounter(logging.Handler):
    """Counts discord.py's own 'rate limited' log lines (429s it backed off from)."""

    def __init__(self):
        super().__init__()
        self.hits = 0

    def emit(self, record):
        if "rate limited" in record.getMessage().lower():
            self.hits += 1


counter = RateLimitCounter()
logging.getLogger("discord.http").addHandler(counter)
logging.getLogger("discord.http").setLevel(logging.DEBUG)

intents = discord.Intents.default()
intents.message_content = True
intents.members = True
client = discord.Client(intents=intents)
state = {"phase": "start", "gap_seen": asyncio.Event(), "resumed": asyncio.Event()}


@client.event
async def on_ready():
    if state["phase"] != "start":
        return
    state["phase"] = "phase1"
    try:
        await first_phase()
    except Exception as error:
        report("error", repr(error))
        await client.close()


async def first_phase():
    guild = client.guilds[0]
    report("ready", {"user": client.user.name, "guild": guild.name, "channels": sorted(c.name for c in guild.channels),
                     "members": len(guild.members), "bot": client.user.bot})
    channel = discord.utils.get(guild.text_channels, name="general")
    message = await channel.send("hello from discord.py")
    await message.edit(content="edited by discord.py")
    await message.add_reaction("\N{THUMBS UP SIGN}")
    await message.pin()
    reply = await message.reply("a reply")
    thread = await message.create_thread(name="dpy thread")
    in_thread = await thread.send("in the thread")
    upload = await channel.send("a file", file=discord.File(io.BytesIO(b"hello file"), filename="hello.txt"))
    history = [m.content async for m in channel.history(limit=10)]
    downloaded = await upload.attachments[0].read()  # a plain GET of the attachment's URL, as discord.py does
    # An edit that keeps the file and adds one: discord.py sends it as multipart (payload_json + files[n]).
    edited = await upload.edit(content="a file, edited", attachments=[
        upload.attachments[0], discord.File(io.BytesIO(b"second file"), filename="second.txt")])
    report("phase1", {
        "message": str(message.id), "channel": str(channel.id), "reply_ref": str(reply.reference.message_id),
        "reply_type": reply.type.value, "thread": str(thread.id), "thread_message": str(in_thread.id),
        "thread_parent": str(thread.parent_id), "attachment": upload.attachments[0].filename,
        "attachment_size": upload.attachments[0].size, "history": history,
        "attachment_bytes": downloaded.decode(),
        "edited_files": [a.filename for a in edited.attachments],
        "edited_second": (await edited.attachments[-1].read()).decode(),
    })
    # Burst past the route limit: discord.py must pace itself from the headers or back off from 429s.
    started = time.monotonic()
    for i in range(8):
        await channel.send(f"burst {i}")
    report("burst", {"seconds": time.monotonic() - started, "backoffs": counter.hits})


@client.event
async def on_message(message):
    if message.content == "sent during the gap":
        state["gap_seen"].set()
        return
    if message.author == client.user or state["phase"] != "phase1":
        return
    state["phase"] = "resuming"
    try:
        await resume_phase(message)
    except Exception as error:
        report("error", repr(error))
    await client.close()


async def resume_phase(message):
    report("received", {"content": message.content, "author": message.author.name, "bot": message.author.bot,
                         "embeds": [embed.to_dict() for embed in message.embeds]})
    # Make the server drop the socket: an unknown opcode is closed with 4001, which discord.py resumes from.
    await client.ws.send_as_json({"op": 99, "d": None})
    await message.channel.send("sent during the gap")
    await asyncio.wait_for(state["resumed"].wait(), 30)
    await asyncio.wait_for(state["gap_seen"].wait(), 30)
    report("resumed", {"gap_message_seen": True})


@client.event
async def on_resumed():
    state["resumed"].set()


async def main():
    async with client:
        await asyncio.wait_for(client.start(os.environ["SPOT_BOT_TOKEN"]), 120)


try:
    asyncio.run(main())
except Exception as error:  # reported, not swallowed: the test fails on it
    report("error", repr(error))
    sys.exit(1)
