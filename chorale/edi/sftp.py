"""The SFTP server of the EDI connections (asyncssh): a connection signs in with its partner
code as user name and the SSH key it declared (no password), and sees only its own tree:
`depot/` to write, `retour/` and `annuaire/` to read. A file written in `depot/` is taken when
the client closes it or renames it from a temporary name (edi.files.take)."""

import asyncio
import concurrent.futures
import logging
from pathlib import Path

import asyncssh
from django.conf import settings
from django.db import close_old_connections, connections

from . import files, outbox, returns
from .models import Connection, Protocol

logger = logging.getLogger(__name__)
# One thread does the database work (key look-ups, takes): files are taken one at a time.
_DATABASE = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="edi-db")


def close_database() -> None:
    """Close the database thread's connection (at shutdown)."""
    _DATABASE.submit(connections.close_all).result()


async def _in_database(function, *args):
    def run():
        close_old_connections()
        return function(*args)

    return await asyncio.get_running_loop().run_in_executor(_DATABASE, run)


_RUNNING: set[asyncio.Task] = set()


def _background(work, what: str) -> None:
    """Run `work` beside the session; a failure is logged (the file stays in `depot/` and the
    next sweep takes it), never the server's end."""
    running = asyncio.ensure_future(work)
    _RUNNING.add(running)

    def done(finished: asyncio.Future) -> None:
        _RUNNING.discard(finished)
        if not finished.cancelled() and finished.exception() is not None:
            logger.error("EDI: %s failed", what, exc_info=finished.exception())

    running.add_done_callback(done)


def _authorized_key(partner_code: str) -> str:
    connection = Connection.objects.filter(
        partner_code=partner_code, protocol=Protocol.SFTP
    ).first()
    if connection is None or not connection.may_exchange:
        return ""
    return connection.ssh_public_key


class Server(asyncssh.SSHServer):
    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn

    async def begin_auth(self, username: str) -> bool:
        key = await _in_database(_authorized_key, username)
        if key:
            self._conn.set_authorized_keys(asyncssh.import_authorized_keys(key))
        return True  # authentication always required; without a key, it cannot succeed

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False


class ConnectionSFTP(asyncssh.SFTPServer):
    """One connection's tree, as the root of what its client sees."""

    def __init__(self, chan: asyncssh.SSHServerChannel):
        self.partner_code = chan.get_extra_info("username")
        self.root = outbox.root_of(self.partner_code)
        self.writing: dict = {}
        self.too_large: set = set()
        self.ended = False
        super().__init__(chan, chroot=str(self.root))

    def _local(self, path: bytes) -> Path:
        return Path(self.map_path(path).decode())

    def _in_depot(self, local: Path) -> bool:
        return local.parent == self.root / "depot"

    def open(self, path, pflags, attrs):
        local = self._local(path)
        writes = pflags & (asyncssh.FXF_WRITE | asyncssh.FXF_CREAT | asyncssh.FXF_TRUNC)
        if writes and not self._in_depot(local):
            raise asyncssh.SFTPPermissionDenied("only depot/ takes files")
        handle = super().open(path, pflags, attrs)
        if writes:
            self.writing[handle] = local
        return handle

    def write(self, file_obj, offset: int, data: bytes) -> int:
        """Bytes past the largest deposit are refused (the disk never fills with them)."""
        if offset + len(data) > settings.CHORALE_MAX_DEPOSIT_BYTES:
            self.too_large.add(file_obj)
            raise asyncssh.SFTPFailure(
                f"file too large: at most {settings.CHORALE_MAX_DEPOSIT_BYTES} bytes"
            )
        return super().write(file_obj, offset, data)

    def close(self, file_obj) -> None:
        """A client's close makes the file complete; the take runs just after. asyncssh also
        closes the handles left open when a session ends, then calls `exit`: by then `ended`
        is set, and such a file — cut short — is refused and removed, never taken."""
        super().close(file_obj)
        local = self.writing.pop(file_obj, None)
        if local is None or files.is_temporary(local.name):
            return
        oversized = file_obj in self.too_large
        self.too_large.discard(file_obj)
        asyncio.get_running_loop().call_soon(self._closed, local, oversized)

    def _closed(self, local: Path, oversized: bool) -> None:
        job = files.incomplete if self.ended else files.oversized if oversized else files.take
        _background(_in_database(job, self.partner_code, local), f"{job.__name__} {local}")

    def exit(self) -> None:
        self.ended = True

    def rename(self, oldpath, newpath) -> None:
        local = self._local(newpath)
        if not self._in_depot(local):
            raise asyncssh.SFTPPermissionDenied("files are renamed within depot/ only")
        super().rename(oldpath, newpath)
        if not files.is_temporary(local.name):
            _background(_in_database(files.take, self.partner_code, local), f"take {local}")

    def remove(self, path) -> None:
        if not self._in_depot(self._local(path)):
            raise asyncssh.SFTPPermissionDenied("files are removed from depot/ only")
        super().remove(path)

    def mkdir(self, path, attrs) -> None:
        raise asyncssh.SFTPPermissionDenied("the tree is fixed: depot/, retour/, annuaire/")


def host_key(path: Path) -> asyncssh.SSHKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        asyncssh.generate_private_key("ssh-ed25519").write_private_key(str(path))
        path.chmod(0o600)
    return asyncssh.read_private_key(str(path))


async def housekeeping(every: float = 60) -> None:
    """Now and then: take what a crash left in `depot/`, publish the day's directory in
    `annuaire/` (once a day). A failure is logged; the server goes on."""
    while True:
        for job in (files.sweep, returns.directory_publish):
            try:
                await _in_database(job)
            except Exception:
                logger.exception("EDI housekeeping: %s failed", job.__name__)
        await asyncio.sleep(every)


async def serve(host: str, port: int, key: asyncssh.SSHKey) -> asyncssh.SSHAcceptor:
    await _in_database(files.sweep)
    return await asyncssh.listen(
        host,
        port,
        server_host_keys=[key],
        server_factory=Server,
        sftp_factory=ConnectionSFTP,
        allow_scp=False,
        login_timeout=30,
    )
