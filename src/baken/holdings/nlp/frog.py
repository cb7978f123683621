"""Frog (Dutch NER) as a separate process in server mode, spoken to over TCP.

Frog is GPL: Baken never links it, it only starts the Debian binary and talks to it over a
socket. What Frog 0.20 does in server mode (``frog -S PORT``, read from its source and
checked by experiment):

* the parent process accepts connections and forks a child per connection, so
  connections are served in parallel; a connection carries any number of requests. A
  child takes seconds of CPU to exit (it frees the models it shares copy-on-write with
  the parent), so connections are kept open in a small pool, never one per call;
* a request is text lines followed by a line ``EOT``; a line that *is* ``EOT`` inside
  the text would end the request early, so such lines are blanked before sending;
* the reply is one line per token, ``index<TAB>word<TAB>lemma<TAB>morph<TAB>pos<TAB>
  confidence<TAB>NER<TAB>chunk...`` with the BIO tag (``B-PER``) after the confidence,
  a blank line after each sentence, and then ``READY`` and a blank line. Skipped modules
  leave empty columns, and not always one each (with ``--skip`` the NER tag is the 8th
  column, not the 7th), so the parser finds the tag after the confidence;
* it binds the port on **all** interfaces (there is no option to bind loopback only),
  logs to stderr, and writes ``frog.*.debug`` files into its working directory, so it
  runs in a private temporary directory, under a guard that ends it when Python dies.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unicodedata
import weakref
from dataclasses import dataclass

from baken.holdings.nlp import loopback
from baken.holdings.nlp.loopback import LoopbackError
from baken.holdings.nlp.text import align, nfc

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
# NER needs the tokeniser and the tagger only: skip morphology (a), chunker (c),
# multi-word units (m), lemmatiser (l) and parser (p). Starts in ~6 s instead of ~9 s.
SKIP = "acmlp"
START_TIMEOUT = 120.0
REPLY_TIMEOUT = 120.0  # at most, per piece of a few thousand characters
_READY = b"READY\n\n"
_CONFIDENCE = re.compile(r"^[01]\.\d{6}$")
# The guard (see spawn): the program in the background, a watcher that kills the process
# group when our pipe closes, and the guard's own exit (taking the group) when the
# program ends. A background job's stdin is /dev/null, hence the copy on fd 3.
_GUARD = """exec 3<&0
"$0" "$@" </dev/null &
program=$!
(read -r _ <&3; kill -9 0) &
wait "$program"
kill -9 0
"""
_WORD = re.compile(r"\S+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\x85]")


class FrogError(Exception):
    """Frog could not be started, or did not answer."""


class PortTaken(FrogError):
    """Another program holds the port Frog was to listen on."""


class FrogTimeout(FrogError):
    """The call's time ran out; ``partial`` holds the texts done before it did."""

    def __init__(self, message: str, partial: list[list[Span]]) -> None:
        super().__init__(message)
        self.partial = partial


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str  # Frog's entity type: PER, ORG, LOC, MISC, PRO, EVE


def installed(executable: str = "frog") -> str | None:
    return shutil.which(executable)


def version(executable: str = "frog") -> str:
    """``frog 0.20``, from ``frog -V`` (a few milliseconds, no models loaded)."""
    try:
        result = subprocess.run(  # noqa: S603 - a fixed command, no shell
            [executable, "-V"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "frog"
    found = re.search(r"^frog (\S+)", result.stdout + result.stderr, re.MULTILINE)
    return f"frog {found.group(1)}" if found else "frog"


class FrogServer:
    """One Frog server process. :meth:`tag` is safe from several threads: each call takes
    a pooled connection (at most ``connections`` at once), served by its own Frog child.
    Dropping the object without :meth:`close` still ends the process, when it is
    collected or at the latest when the interpreter exits."""

    def __init__(
        self, *, executable: str = "frog", port: int | None = None, connections: int = 4
    ) -> None:
        self.executable = executable
        self.requested_port = port
        self.port = 0
        self.version = "frog"
        self._process: subprocess.Popen[bytes] | None = None
        self._workdir: str | None = None
        self._log: collections.deque[str] = collections.deque(maxlen=200)
        self._log_changed = threading.Condition()
        self._drain: threading.Thread | None = None
        self._slots = threading.BoundedSemaphore(connections)
        self._idle: list[socket.socket] = []  # open connections, each served by a child
        self._idle_lock = threading.Lock()
        self._finalizer: weakref.finalize[[subprocess.Popen[bytes], str], FrogServer] | None
        self._finalizer = None

    # -- life cycle ---------------------------------------------------------------------

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start Frog and wait until it answers; raises FrogError."""
        if installed(self.executable) is None:
            raise FrogError("frog not installed")
        attempts = 1 if self.requested_port else 3  # a free port can be taken meanwhile
        for attempt in range(attempts):
            try:
                self._start_on(self.requested_port or _free_port(), timeout)
                return
            except PortTaken:
                self.close()
                if attempt == attempts - 1:
                    raise
            except FrogError:
                self.close()
                raise

    def _start_on(self, port: int, timeout: float) -> None:
        self._workdir = tempfile.mkdtemp(prefix="baken-frog-")
        self._log.clear()
        try:
            preload = str(loopback.library())
        except (LoopbackError, OSError, subprocess.TimeoutExpired) as exc:
            raise FrogError(f"not started: cannot keep it on loopback ({exc})") from None
        process = spawn(
            [self.executable, "-S", str(port), f"--skip={SKIP}"],
            self._workdir,
            env={**os.environ, "LD_PRELOAD": preload},
        )
        self._process, self.port = process, port
        self._finalizer = weakref.finalize(self, _terminate, process, self._workdir)
        self._drain = threading.Thread(
            target=_read_log,
            args=(process, self._log, self._log_changed),
            name=f"frog-log-{port}",
            daemon=True,
        )
        self._drain.start()
        deadline = time.monotonic() + timeout
        if not self._wait_for("Listening on port", process, deadline):
            raise self._failure("did not start")
        # Frog logs "Listening" before it binds: only an answered request that our
        # process logged proves the port is ours and not another program's.
        while True:
            try:
                conn = self._connect(timeout=2.0)
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise self._failure("did not answer") from None
                time.sleep(0.2)
                continue
            try:
                _request(conn, "Baken", timeout=30.0)
            except OSError:
                conn.close()
                raise self._failure("did not answer") from None
            break
        if not self._wait_for("New connection", process, time.monotonic() + 5.0):
            conn.close()
            raise PortTaken(f"another program answers on port {port}")
        try:
            loopback.check_loopback_only(port)  # fail closed: never use an open port
        except LoopbackError as exc:
            conn.close()
            raise FrogError(str(exc)) from None
        self._checkin(conn)
        self.version = self._version_from_log()
        log.info("%s listening on %s:%d (pid %d)", self.version, HOST, port, process.pid)

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def close(self) -> None:
        """Stop the server and every child it forked; remove its working directory."""
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
        if self._finalizer is not None:
            self._finalizer()  # runs _terminate once
            self._finalizer = None
        if self._drain is not None:
            self._drain.join(timeout=5)
            self._drain = None
        self._process = None
        self._workdir = None

    @property
    def address(self) -> str:
        return f"{HOST}:{self.port}"

    def log_tail(self, lines: int = 5) -> str:
        return " | ".join(list(self._log)[-lines:])

    # -- tagging ------------------------------------------------------------------------

    def tag(self, texts: list[str], deadline: float | None = None) -> list[list[Span]]:
        """Named entities in each text, over one pooled connection. Raises FrogTimeout
        (with the texts done so far) when ``deadline`` (``time.monotonic()``) passes,
        FrogError when Frog fails."""
        if not self.alive():
            raise FrogError("frog is not running")
        with self._slots:
            try:
                conn = self._checkout()
            except OSError as error:
                raise FrogError(f"frog refused a connection: {error}") from error
            results: list[list[Span]] = []
            try:
                for text in texts:
                    timeout = REPLY_TIMEOUT
                    if deadline is not None:
                        timeout = min(timeout, deadline - time.monotonic())
                        if timeout <= 0:
                            self._checkin(conn)
                            raise FrogTimeout("frog ran out of time", results)
                    results.append(_entities(conn, text, timeout))
            except FrogTimeout:
                raise
            except BaseException as error:
                # A connection that failed mid-reply is out of step: never reuse it.
                conn.close()
                if isinstance(error, TimeoutError):
                    raise FrogTimeout(f"frog ran out of time: {error}", results) from error
                if isinstance(error, OSError):
                    raise FrogError(f"frog connection failed: {error}") from error
                raise
            self._checkin(conn)
            return results

    # -- helpers ------------------------------------------------------------------------

    def _checkout(self) -> socket.socket:
        with self._idle_lock:
            if self._idle:
                return self._idle.pop()
        return self._connect(timeout=5.0)

    def _checkin(self, conn: socket.socket) -> None:
        with self._idle_lock:
            if self._process is not None:
                self._idle.append(conn)
                return
        conn.close()  # the server was closed meanwhile

    def _connect(self, timeout: float) -> socket.socket:
        conn = socket.create_connection((HOST, self.port), timeout=timeout)
        conn.settimeout(REPLY_TIMEOUT)
        return conn

    def _wait_for(self, marker: str, process: subprocess.Popen[bytes], deadline: float) -> bool:
        with self._log_changed:
            while not any(marker in line for line in self._log):
                if process.poll() is not None or time.monotonic() > deadline:
                    return False
                self._log_changed.wait(timeout=0.5)
            return True

    def _failure(self, what: str) -> FrogError:
        tail = self.log_tail(3)
        if "starting server on port" in tail:
            return PortTaken(f"frog could not bind port {self.port}")
        return FrogError(f"frog {what}: {tail}" if tail else f"frog {what}")

    def _version_from_log(self) -> str:
        for line in self._log:
            found = re.match(r"frog (\d\S*)", line)
            if found:
                return f"frog {found.group(1)}"
        return "frog"


def spawn(argv: list[str], cwd: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start ``argv`` under a guard that ends it, and everything it forks, when this
    Python process dies, even by SIGKILL: the guard waits on a pipe only we hold. Without
    it a worker stopped by a signal would leave Frog behind, listening. The guard's
    process group is its own, so :func:`_terminate` ends the lot with one ``killpg``."""
    return subprocess.Popen(  # noqa: S603 - a fixed script, arguments are ours
        ["/bin/sh", "-c", _GUARD, *argv],
        cwd=cwd,
        env=env,
        stdin=subprocess.PIPE,  # never written: its end-of-file is the signal
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _read_log(
    process: subprocess.Popen[bytes], lines: collections.deque[str], changed: threading.Condition
) -> None:
    """Keep Frog's stderr: it logs "Processing..." per request, and an unread pipe would
    fill up and block the server. (A function, not a method: the thread must not keep
    the server object alive.)"""
    assert process.stderr is not None
    try:
        for raw in process.stderr:
            line = raw.decode("utf-8", "replace").strip()
            if line:
                with changed:
                    lines.append(line)
                    changed.notify_all()
    finally:
        process.stderr.close()
        with changed:
            changed.notify_all()


def _terminate(process: subprocess.Popen[bytes], workdir: str) -> None:
    # SIGKILL straight away: Frog keeps nothing worth a clean exit, and its exit path
    # spends seconds freeing its models (in the parent and in every child).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    if process.stdin is not None:
        process.stdin.close()
    shutil.rmtree(workdir, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


# -- the protocol -----------------------------------------------------------------------


def sanitise(text: str) -> str:
    """The text as Frog may receive it, with every character at the same offset:

    * control characters become spaces, and a line reading ``EOT`` (which would end the
      request) is blanked;
    * words without a Latin letter (numbers, symbols, emoji, other scripts) are blanked,
      punctuation excepted: Frog sends each to its unknown-word classifier, ~15 ms a
      word (1,500 numbers took 24 s), and none of them is a name in a Dutch text.
    """
    text = _CONTROL.sub(" ", text)
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates → "?"
    text = _WORD.sub(_blank_unnameable, text)
    if "EOT" in text:
        text = "\n".join(
            " " * len(line) if line.strip() == "EOT" else line for line in text.split("\n")
        )
    return text


def _blank_unnameable(match: re.Match[str]) -> str:
    word = match.group(0)
    if _LATIN.search(word) or all(unicodedata.category(c).startswith("P") for c in word):
        return word
    return " " * len(word)


def _request(conn: socket.socket, text: str, timeout: float = REPLY_TIMEOUT) -> str:
    conn.settimeout(timeout)
    conn.sendall(text.encode("utf-8") + b"\nEOT\n")
    reply = bytearray()
    while not reply.endswith(_READY):
        data = conn.recv(65536)
        if not data:
            raise ConnectionError("frog closed the connection")
        reply += data
    return reply[: -len(_READY)].decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class Token:
    word: str
    pos: str  # CGN tag, e.g. "SPEC(deeleigen)", "ADJ(prenom,basis,met-e,stan)"
    ner: str  # BIO tag, e.g. "B-PER", "O"


def parse(reply: str) -> list[list[Token]]:
    """Sentences of tokens from Frog's tab-separated reply."""
    sentences: list[list[Token]] = []
    current: list[Token] = []
    for line in reply.split("\n"):
        columns = line.split("\t")
        if len(columns) >= 4 and columns[0].isdigit():
            current.append(_token(columns))
        elif not line.strip() and current:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def _token(columns: list[str]) -> Token:
    """The tagger's columns sit around its confidence. Their position moves with the
    modules skipped (Frog writes an empty column per skipped module, not always one), but
    the confidence is always printed, with six decimals: POS before it, NER after."""
    for index in range(3, len(columns) - 1):
        if _CONFIDENCE.match(columns[index]):
            return Token(columns[1], columns[index - 1].strip(), columns[index + 1].strip())
    return Token(columns[1], "", "O")


def spans(sentences: list[list[Token]], text: str) -> list[Span]:
    """Entity spans in ``text`` from BIO-tagged sentences. An entity with a token that
    cannot be found in the text is dropped rather than guessed. An entity made of
    adjectives only ("Joodse", "Russische") is reported as MISC, whatever type Frog gave
    it: it is a nationality or a description, not a name."""
    words = [token.word for sentence in sentences for token in sentence]
    offsets = iter(align(words, text))
    found: list[Span] = []

    def close(entity: list[tuple[Token, tuple[int, int] | None]]) -> None:
        if not entity:
            return
        first, last = entity[0][1], entity[-1][1]
        if first is None or last is None or any(where is None for _, where in entity):
            return
        kind = _kind(entity[0][0].ner)
        if all(token.pos.startswith("ADJ") for token, _ in entity):
            kind = "MISC"
        found.append(Span(first[0], last[1], kind))

    for sentence in sentences:
        entity: list[tuple[Token, tuple[int, int] | None]] = []
        for token in sentence:
            where = next(offsets)
            prefix = token.ner.partition("-")[0]
            if prefix == "I" and entity and _kind(entity[0][0].ner) == _kind(token.ner):
                entity.append((token, where))
                continue
            close(entity)
            entity = [(token, where)] if prefix in ("B", "I") and _kind(token.ner) else []
        close(entity)
    return found


def _kind(tag: str) -> str:
    """``B-PER`` → ``PER``; Frog may join types with "+" (``B-LOC+ORG``): the first."""
    return tag.partition("-")[2].split("+")[0].upper()


def _entities(conn: socket.socket, text: str, timeout: float = REPLY_TIMEOUT) -> list[Span]:
    """Spans in ``text`` (offsets into it) for one piece sent over ``conn``."""
    normalised = nfc(sanitise(text))
    reply = _request(conn, normalised.text, timeout)
    result: list[Span] = []
    for span in spans(parse(reply), normalised.text):
        start, end = normalised.span(span.start, span.end)
        result.append(Span(start, end, span.kind))
    return result
