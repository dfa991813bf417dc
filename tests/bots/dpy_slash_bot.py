"""A discord.py 2.7.1 bot for the interaction / webhook matrix (issue 21), driven by the integration tests.

Usage: SPOT_URL=http://127.0.0.1:PORT SPOT_BOT_TOKEN=... SPOT_GUILD_ID=<home guild> SPOT_CHANNEL_ID=<#general>
       python dpy_slash_bot.py
Prints one JSON object per line:
  {"ready": {"application_id", "user", "commands": [sorted names], "ids": {name: id}}}   after the guild sync
  {"webhook": {"id", "message_id", "url", "library_url", "channel_id", "author", "webhook_id", "attachments"}}
  {"handled": {"name", "type", "user", ...}}   after each answered interaction (the answer's HTTP call returned)
  {"error": "..."}                             any library exception (the test fails on it)
  {"stopped": {"handled": n}}                  on the way out
Ends on a {"stop": true} line or EOF on stdin *when stdin is a pipe* (with stdin = /dev/null, as BotProcess starts
bots today, it runs until SPOT_BOT_LIFETIME seconds, default 300, or until it is killed).

What the bot does (the same for the discord.js and hikari bots):
  PUT /applications/{app}/guilds/{guild}/commands (tree.copy_global_to + tree.sync(guild=)) with
    /echo text:str! loud:bool   -> type 4 "text" (upper-cased if loud)
    /pick fruit:str autocomplete -> type 8 choices from apple/apricot/banana/cherry starting with the typed text;
                                    the command itself -> type 4 "picked <fruit>"
    /slow   -> type 5, 1.5 s, PATCH /webhooks/{app}/{token}/messages/@original "done slowly",
               POST /webhooks/{app}/{token} "and a follow-up"
    /secret -> type 4 flags 64 "only you"
    /buttons -> type 4 "pick one" + row[button primary custom_id "press" label "Press"] + row[string select "choose"
               options a/b/c]; button -> type 7 "pressed by <user>" with the button disabled (select kept);
               select -> type 4 "chose <value>"
    /form   -> type 9 modal custom_id "feedback" title "Feedback", one short text input "thoughts" label "Thoughts"
               (wrapped in an action row); submit -> type 4 "thanks: <value>"
    user command "Say hi" -> type 4 "hi <target username>"; message command "Quote" -> type 4 "> <content>"
    /never  -> never answered ("handled" with "answered": false is printed on receipt)
    /admin-only (default_member_permissions "8") -> type 4 "admin ok"
  then POST /channels/{SPOT_CHANNEL_ID}/webhooks {"name": "ci"} and executes it with a *partial* Webhook
  (Webhook.partial(id, token, session=...)): POST /webhooks/{id}/{token}?wait=1&with_components=0, multipart
  (payload_json with content "build passed", username "builder", attachments [{"id": 0, "filename": "log.txt"}];
  part files[0] = log.txt).

What spot must send / accept for discord.py 2.7.1 (read from its source):
  * Route.BASE (patched below) is used by the HTTP client AND by the webhook adapter (interaction callbacks,
    follow-ups, webhook executes all go to Route.BASE + path), so one patch points everything at spot.
  * Webhook URLs: Webhook.url is hard-coded 'https://discord.com/api/webhooks/{id}/{token}' and
    Webhook.from_url() only accepts r'discord(?:app)?\.com/api/webhooks/(\d{17,20})/([A-Za-z0-9.\-_]{60,})'.
    So a spot URL cannot be given to from_url; the honest way is Webhook.partial(id, token, session=...) (what
    from_url does after its regex) with Route.BASE patched: that is what this bot does. "url" in the report is
    the spot URL (BASE/api/webhooks/{id}/{token}); "library_url" is what discord.py itself says (discord.com).
    Tokens of >= 60 chars from [A-Za-z0-9.-_] and 17-20 digit ids keep a pasted discord.com-shaped URL parseable.
  * Webhook adapter: a 429 WITHOUT a `Via` response header is raised as HTTPException (treated as a Cloudflare
    ban), not retried; with `Via` it sleeps `retry_after` (JSON body) and retries. (Same in the HTTP client.)
  * json_or_text(): a body is parsed as JSON only if `Content-Type` is exactly `application/json` (no charset).
  * Interaction callback: POST /interactions/{id}/{token}/callback?with_response=1 (the literal "1"), no
    Authorization header. EVERY response type (4, 5, 6, 7, 8, 9) is read as a callback response: the reply must be
    200 with JSON {"interaction": {"id": str, "type": int, "response_message_id"?: str,
    "response_message_loading"?: bool, "response_message_ephemeral"?: bool}, "resource"?: {"type": int,
    "message"?: <message>}}. A 204 (empty body) makes discord.py raise TypeError (string indices) after the
    callback was accepted -- except for autocomplete (type 8), whose result is ignored.
  * Views (buttons/select) are stored under `interaction.response_message_id` of that callback response; a later
    component interaction is routed by its `message.id`. So response_message_id must equal the id of the message
    the component interaction carries (or be absent: then the view is looked up under None and still found).
    A mismatch makes discord.py drop the click silently (the bot never answers).
  * INTERACTION_CREATE (Interaction._from_data), KeyError if missing: id, type, token, version, application_id,
    attachment_size_limit (int). Used if present: data, guild_id, channel (OBJECT with id and type -- channel_id
    alone is not read; without `channel` interaction.channel is None and original_response() raises),
    member (full member: user{id,username,discriminator,avatar}, roles, flags, permissions as string ->
    interaction.permissions), user (in DMs), app_permissions (string), locale, guild_locale, entitlements (list),
    authorizing_integration_owners ({"0": guild_id}), context (int), message (for components: full message with
    type, content, author, ...).
    A KeyError here escapes the gateway loop and ends client.start(): the bot reports {"error": "KeyError(...)"}.
  * data for commands: name, type (1/2/3; default 1), guild_id (the COMMAND's guild: looked up in the guild's
    commands first, then globals -- this bot registers both in its tree, only syncs the guild), options[] with
    name, type and value (str/int/bool for 3/4/5; KeyError without value), and for autocomplete the focused option
    has "focused": true and a (partial) value. Context menus need target_id and data.resolved.users[target_id]
    (+ resolved.members[target_id] with roles and flags, no user) or data.resolved.messages[target_id] (with
    channel_id, type, content, author...); otherwise AppCommandError("...well-formed data").
  * Components: data.custom_id, data.component_type (2 button / 3 string select), data.values for selects. For a
    STRING select there must be NO data.resolved key: if "resolved" is present (even {}), discord.py takes the
    values from it and select.values is [].
  * Modal submit: data.custom_id ("feedback"), data.components = [{"type": 1, "components": [{"type": 4,
    "custom_id": "thoughts", "value": "..."}]}] (a type 18 label with "component" is also understood).
  * Command sync response: a list of commands, each with id, application_id, name, description (string, "" for
    context menus), type, options[] (type, name, description); guild_id, default_member_permissions (string),
    contexts, integration_types, nsfw optional.
  * Follow-ups (interaction.followup.send) are executed with ?wait=1&with_components=0 and need the message back;
    edit_original_response: PATCH /webhooks/{app}/{token}/messages/@original (no query) -> message.
  * What it sends: commands as {"name", "description", "type", "options": [...], "nsfw": false,
    "dm_permission": true, "default_member_permissions": null | 8 (an INTEGER, not Discord's string),
    "contexts": null, "integration_types": null}; user/message commands carry NO "description" (the reply must
    still have "description": ""). Callback bodies: {"type": 4, "data": {"tts": false, "content", "flags"?: 64,
    "components"?}}, {"type": 5} (no data), {"type": 7, "data": {...}}, {"type": 8, "data": {"choices": [{"name",
    "value"}]}}, {"type": 9, "data": {"custom_id", "title", "components"}}. Selects carry "required": true,
    "disabled": false, options carry "default": false.
  * Channel.create_webhook: POST /channels/{id}/webhooks {"name": "ci"}; the reply needs id and type (int); token,
    channel_id, guild_id, name, avatar, user (full user if present) are read.
"""

import asyncio
import io
import json
import os
import stat
import sys
import threading
import time
from typing import Optional, Union

import aiohttp
import discord
import yarl
from discord import app_commands

BASE = os.environ["SPOT_URL"].rstrip("/")
discord.http.Route.BASE = BASE + "/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(BASE.replace("http", "ws", 1) + "/gateway")
GUILD_ID = int(os.environ["SPOT_GUILD_ID"])
CHANNEL_ID = int(os.environ["SPOT_CHANNEL_ID"])
LIFETIME = float(os.environ.get("SPOT_BOT_LIFETIME", "300"))
FRUITS = ["apple", "apricot", "banana", "cherry"]


def report(key, value=None):
    print(json.dumps({key: value}), flush=True)


def fail(error):
    report("error", repr(error))


state = {"started": False, "handled": 0, "stop": None}


def handled(interaction: discord.Interaction, name: str, **extra):
    state["handled"] += 1
    report("handled", {"name": name, "type": interaction.type.value, "user": interaction.user.name, **extra})


class Tree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError):
        fail(error)


client = discord.Client(intents=discord.Intents.default())
tree = Tree(client)


@tree.command(name="echo", description="Says the text back")
@app_commands.describe(text="What to say", loud="Shout it")
async def echo(interaction: discord.Interaction, text: str, loud: Optional[bool] = None):
    await interaction.response.send_message(text.upper() if loud else text)
    handled(interaction, "echo", text=text, loud=loud)


@tree.command(name="pick", description="Picks a fruit")
@app_commands.describe(fruit="A fruit")
async def pick(interaction: discord.Interaction, fruit: str):
    await interaction.response.send_message(f"picked {fruit}")
    handled(interaction, "pick", fruit=fruit)


@pick.autocomplete("fruit")
async def pick_fruit(interaction: discord.Interaction, current: str):
    # Answered here (not by returning the list) so that "handled" is printed after the callback returned.
    try:
        choices = [app_commands.Choice(name=f, value=f) for f in FRUITS if f.startswith(current or "")]
        await interaction.response.autocomplete(choices)
        handled(interaction, "pick", focused=current, choices=[c.value for c in choices])
    except Exception as error:  # autocomplete errors are only logged by discord.py
        fail(error)
    return []


@tree.command(name="slow", description="Answers after a while")
async def slow(interaction: discord.Interaction):
    await interaction.response.defer()  # type 5
    await asyncio.sleep(1.5)
    edited = await interaction.edit_original_response(content="done slowly")
    followup = await interaction.followup.send("and a follow-up", wait=True)
    handled(interaction, "slow", original=str(edited.id), followup=str(followup.id))


@tree.command(name="secret", description="Only you see the answer")
async def secret(interaction: discord.Interaction):
    await interaction.response.send_message("only you", ephemeral=True)
    handled(interaction, "secret")


class Buttons(discord.ui.View):
    def __init__(self):
        super().__init__(timeout=900)

    @discord.ui.button(label="Press", style=discord.ButtonStyle.primary, custom_id="press", row=0)
    async def press(self, interaction: discord.Interaction, button: discord.ui.Button):
        button.disabled = True
        await interaction.response.edit_message(content=f"pressed by {interaction.user.name}", view=self)  # type 7
        handled(interaction, "press", message=str(interaction.message.id) if interaction.message else None)

    @discord.ui.select(custom_id="choose", row=1, options=[
        discord.SelectOption(label="a", value="a"),
        discord.SelectOption(label="b", value="b"),
        discord.SelectOption(label="c", value="c"),
    ])
    async def choose(self, interaction: discord.Interaction, select: discord.ui.Select):
        value = select.values[0] if select.values else None
        await interaction.response.send_message(f"chose {value}")
        handled(interaction, "choose", value=value)

    async def on_error(self, interaction, error, item):
        fail(error)


@tree.command(name="buttons", description="Shows a button and a menu")
async def buttons(interaction: discord.Interaction):
    response = await interaction.response.send_message("pick one", view=Buttons())
    handled(interaction, "buttons", message=str(response.message_id) if response.message_id else None)


class Feedback(discord.ui.Modal, title="Feedback"):
    thoughts = discord.ui.TextInput(label="Thoughts", custom_id="thoughts", style=discord.TextStyle.short,
                                    required=True)

    def __init__(self):
        super().__init__(custom_id="feedback", timeout=900)

    async def on_submit(self, interaction: discord.Interaction):
        await interaction.response.send_message(f"thanks: {self.thoughts.value}")
        handled(interaction, "feedback", value=self.thoughts.value)

    async def on_error(self, interaction, error):
        fail(error)


@tree.command(name="form", description="Asks for feedback")
async def form(interaction: discord.Interaction):
    await interaction.response.send_modal(Feedback())  # type 9
    handled(interaction, "form")


@tree.context_menu(name="Say hi")
async def say_hi(interaction: discord.Interaction, user: Union[discord.Member, discord.User]):
    await interaction.response.send_message(f"hi {user.name}")
    handled(interaction, "Say hi", target=user.name)


@tree.context_menu(name="Quote")
async def quote(interaction: discord.Interaction, message: discord.Message):
    await interaction.response.send_message(f"> {message.content}")
    handled(interaction, "Quote", target=str(message.id))


@tree.command(name="never", description="Never answers")
async def never(interaction: discord.Interaction):
    handled(interaction, "never", answered=False)


@tree.command(name="admin-only", description="Only for administrators")
@app_commands.default_permissions(administrator=True)
async def admin_only(interaction: discord.Interaction):
    await interaction.response.send_message("admin ok")
    handled(interaction, "admin-only")


async def register():
    guild = discord.Object(id=GUILD_ID)
    tree.copy_global_to(guild=guild)
    synced = await tree.sync(guild=guild)  # PUT /applications/{app}/guilds/{guild}/commands
    report("ready", {
        "application_id": str(client.application_id), "user": client.user.name,
        "commands": sorted(c.name for c in synced), "ids": {c.name: str(c.id) for c in synced},
        "types": {c.name: c.type.value for c in synced},
    })


async def webhook_phase(session: aiohttp.ClientSession):
    channel = client.get_channel(CHANNEL_ID) or await client.fetch_channel(CHANNEL_ID)
    created = await channel.create_webhook(name="ci")  # POST /channels/{id}/webhooks
    # discord.Webhook.from_url() refuses anything but discord.com URLs; partial() is what it does after its regex.
    hook = discord.Webhook.partial(created.id, created.token, session=session)
    message = await hook.send("build passed", username="builder", wait=True,
                              file=discord.File(io.BytesIO(b"all 42 tests passed\n"), filename="log.txt"))
    report("webhook", {
        "id": str(created.id), "message_id": str(message.id), "channel_id": str(message.channel.id),
        "url": f"{BASE}/api/webhooks/{created.id}/{created.token}", "library_url": hook.url,
        "author": message.author.name, "webhook_id": str(message.webhook_id) if message.webhook_id else None,
        "attachments": [a.filename for a in message.attachments], "content": message.content,
    })


@client.event
async def on_ready():
    if state["started"]:
        return
    state["started"] = True
    try:
        await register()
        await webhook_phase(state["session"])
    except Exception as error:
        fail(error)
        state["stop"].set()


@client.event
async def on_error(event, *args, **kwargs):
    fail(sys.exc_info()[1])


def watch_stdin(loop):
    """Stops on a {"stop": true} line or at EOF, but only when stdin is a pipe (not /dev/null or a terminal)."""
    mode = os.fstat(0).st_mode
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        return

    def read():
        for line in sys.stdin:
            try:
                if json.loads(line).get("stop"):
                    break
            except (ValueError, AttributeError):
                continue
        loop.call_soon_threadsafe(state["stop"].set)

    threading.Thread(target=read, daemon=True).start()


async def main():
    state["stop"] = asyncio.Event()
    watch_stdin(asyncio.get_running_loop())
    async with aiohttp.ClientSession() as session, client:
        state["session"] = session
        runner = asyncio.create_task(client.start(os.environ["SPOT_BOT_TOKEN"]))
        stopper = asyncio.create_task(state["stop"].wait())
        done, _ = await asyncio.wait({runner, stopper}, timeout=LIFETIME, return_when=asyncio.FIRST_COMPLETED)
        if runner in done and runner.exception() is not None:
            raise runner.exception()
        stopper.cancel()
        report("stopped", {"handled": state["handled"]})
        await client.close()
        if not runner.done():
            await asyncio.wait({runner}, timeout=10)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except Exception as error:  # reported, not swallowed: the test fails on it
        fail(error)
        sys.exit(1)
