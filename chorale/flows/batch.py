"""A deposit as documents: one file, or the members of a zip or tar batch, read with caps.

Member names are only recorded, never used as paths; still, a member whose name could escape
a folder (absolute, « .. », a drive letter, control characters) is refused, so that nothing
downstream ever meets one. A member's declared size is checked before it is read, and reading
stops at the cap, so a zip bomb cannot fill memory. Before any member is read, the sizes the
archive declares are added up: a batch that would expand past CHORALE_MAX_BATCH_EXPANDED_BYTES,
or to more than CHORALE_MAX_BATCH_RATIO times its own size, is refused whole (a zip never
gives more bytes for a member than it declares, a tar member is read within its header's size).
"""

import io
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext


@dataclass
class Document:
    name: str
    content: bytes | None  # None when the member was refused (see `error`)
    error: str = ""


def _unsafe(name: str) -> Document | None:
    parts = name.replace("\\", "/").split("/")
    if (
        name.startswith(("/", "\\"))
        or ".." in parts
        or (len(name) > 1 and name[1] == ":")
        or any(ord(c) < 32 for c in name)
    ):
        return Document(
            name,
            None,
            gettext(
                "Nom de fichier dangereux dans l'archive (chemin absolu, « "
                ".. » ou caractère de contrôle) : non lu."
            ),
        )
    return None


def _read_capped(stream, declared: int, limit: int) -> bytes | None:
    if declared > limit:
        return None
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def documents(name: str, content: bytes) -> Iterator[Document]:
    """The documents of a deposit, in order."""
    per_file = settings.CHORALE_MAX_XML_BYTES * 2  # a Factur-X PDF may be larger than its XML
    if content[:4] == b"PK\x03\x04":
        yield from _zip(content, per_file)
    elif len(content) > 262 and content[257:262] == b"ustar":
        yield from _tar(content, per_file)
    else:
        yield Document(name, content)


def _zip_files(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The members of a zip that are documents (its folders are not)."""
    return [m for m in archive.infolist() if not m.is_dir()]


def _tar_files(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The members of a tar that are documents (regular files only: no links, no devices)."""
    return [m for m in archive.getmembers() if m.isfile()]


def documents_expected(content: bytes) -> int:
    """How many documents `documents` gives for this deposit, read from the archive's directory
    without expanding anything (for the live progress; an unreadable archive counts one)."""
    try:
        if content[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                found = len(_zip_files(archive))
        elif len(content) > 262 and content[257:262] == b"ustar":
            with tarfile.open(fileobj=io.BytesIO(content)) as archive:
                found = len(_tar_files(archive))
        else:
            return 1
    except (*UNREADABLE, ValueError):
        return 1
    return max(1, min(found, settings.CHORALE_MAX_BATCH_FILES + 1))


def _too_many() -> Document:
    return Document(
        "(lot)",
        None,
        gettext(
            "Le lot contient plus de %(CHORALE_MAX_BATCH_FILES)s "
            "fichiers : les suivants ne sont pas traités."
        )
        % {
            "CHORALE_MAX_BATCH_FILES": settings.CHORALE_MAX_BATCH_FILES,
        },
    )


def _too_big(name: str, limit: int) -> Document:
    return Document(
        name,
        None,
        gettext("Fichier trop volumineux une fois décompressé (plus de %(limit)s Mo).")
        % {
            "limit": limit // (1024 * 1024),
        },
    )


def _bomb(declared: int, size: int) -> Document | None:
    """The whole batch refused at once when what it declares is too big to expand."""
    limit = settings.CHORALE_MAX_BATCH_EXPANDED_BYTES
    if declared > limit:
        return Document(
            "(lot)",
            None,
            gettext(
                "Le lot se décompresse en %(declared)s Mo, plus que les "
                "%(limit)s Mo admis : il n'est pas lu. Déposez-le en "
                "plusieurs lots."
            )
            % {
                "declared": declared // (1024 * 1024),
                "limit": limit // (1024 * 1024),
            },
        )
    ratio = settings.CHORALE_MAX_BATCH_RATIO
    if declared > 10 * 1024 * 1024 and declared > ratio * max(size, 1):
        return Document(
            "(lot)",
            None,
            gettext(
                "Le lot se décompresse en plus de %(ratio)s fois sa taille "
                "(archive piégée) : il n'est pas lu."
            )
            % {
                "ratio": ratio,
            },
        )
    return None


@dataclass
class _Member:
    """A file of an archive: its name, the size it declares, how to read it (at most a limit:
    None past it), and why it is refused before any reading, if it is."""

    name: str
    size: int
    read: Callable[[int], bytes | None]
    refused: str = ""


UNREADABLE = (zipfile.BadZipFile, tarfile.TarError, NotImplementedError, RuntimeError, OSError,
              EOFError)  # fmt: skip


def _documents_of(members: list[_Member], archive_size: int, per_file: int) -> Iterator[Document]:
    """The members of a zip or tar batch, with the caps: the whole batch refused when what it
    declares is too big to expand, then each member checked before it is read."""
    bomb = _bomb(sum(m.size for m in members), archive_size)
    if bomb is not None:
        yield bomb
        return
    expanded = 0
    for count, member in enumerate(members):
        if count >= settings.CHORALE_MAX_BATCH_FILES:
            yield _too_many()
            return
        refused = _unsafe(member.name)
        if refused is not None:
            yield refused
            continue
        if member.refused:
            yield Document(member.name, None, member.refused)
            continue
        expanded += member.size
        if expanded > settings.CHORALE_MAX_BATCH_EXPANDED_BYTES:
            yield _too_big(member.name, settings.CHORALE_MAX_BATCH_EXPANDED_BYTES)
            return
        try:
            data = member.read(per_file)
        except UNREADABLE as error:
            yield Document(
                member.name,
                None,
                gettext("Fichier illisible dans l'archive (%(error)s).")
                % {
                    "error": error,
                },
            )
            continue
        yield Document(member.name, data) if data is not None else _too_big(member.name, per_file)


def _zip(content: bytes, per_file: int) -> Iterator[Document]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = _zip_files(archive)
    except (zipfile.BadZipFile, ValueError) as error:
        yield Document(
            "(lot)",
            None,
            gettext("Archive zip illisible (%(error)s).")
            % {
                "error": error,
            },
        )
        return

    def reader(info: zipfile.ZipInfo) -> Callable[[int], bytes | None]:
        def read(limit: int) -> bytes | None:
            with archive.open(info) as stream:
                return _read_capped(stream, info.file_size, limit)

        return read

    members = [
        _Member(
            info.filename,
            info.file_size,
            reader(info),
            gettext("Fichier chiffré dans l'archive : non lu.") if info.flag_bits & 0x1 else "",
        )
        for info in infos
    ]
    yield from _documents_of(members, len(content), per_file)


def _tar(content: bytes, per_file: int) -> Iterator[Document]:
    try:
        with tarfile.open(fileobj=io.BytesIO(content)) as archive:

            def reader(info: tarfile.TarInfo) -> Callable[[int], bytes | None]:
                def read(limit: int) -> bytes | None:
                    stream = archive.extractfile(info)
                    return _read_capped(stream, info.size, limit) if stream else None

                return read

            members = [_Member(i.name, i.size, reader(i)) for i in _tar_files(archive)]
            yield from _documents_of(members, len(content), per_file)
    except tarfile.TarError as error:
        yield Document(
            "(lot)",
            None,
            gettext("Archive tar illisible (%(error)s).")
            % {
                "error": error,
            },
        )
