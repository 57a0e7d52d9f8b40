"""Page sizes offered by the lists (« 5 lignes par page »…), read from `?taille=`, and the
paginator of the large lists."""

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZES = (5, 10, 20, 50)


def page_size(request: HttpRequest, default: int = PAGE_SIZES[0]) -> int:
    """The size asked by `?taille=`, remembered for this list (its path) in the session: the
    list opens with the user's last choice, else with `default`."""
    key = f"taille:{request.path}"
    remembered = request.session.get(key, default) if hasattr(request, "session") else default
    try:
        size = int(request.GET.get("taille", remembered))
    except ValueError:
        size = remembered
    if size not in PAGE_SIZES:
        size = default
    if hasattr(request, "session") and "taille" in request.GET and size != remembered:
        request.session[key] = size
    return size


class LargeListPaginator(Paginator):  # type: ignore[type-arg]
    """Pages of a list that may hold hundreds of thousands of rows (a large body's invoices):
    the count stops past CAP (the page then says « plus de 10 000 »: the filters narrow it),
    and a page reads its ids first — answered from the covering indexes alone — then only its
    own rows, instead of sorting every matching row whole."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list
        count: int = rows.order_by().values("pk")[: self.CAP + 1].count()
        return count

    @property
    def capped(self) -> bool:
        return self.count > self.CAP

    def get_page(self, number: Any) -> Page:  # type: ignore[type-arg]
        try:
            first = int(number) <= 1
        except (TypeError, ValueError):
            first = True
        return self.page(1) if first else super().get_page(number)

    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        rows: Any = self.object_list
        ids = rows.values_list("pk", flat=True)
        first = None
        if number in (1, "1") and "count" not in self.__dict__:
            # A first page shorter than a page is the whole list: no count to ask (a number
            # searched, narrow filters).
            first = list(ids[: self.per_page + 1])
            if len(first) <= self.per_page:
                self.__dict__["count"] = len(first)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if first is not None:
            found = first[: self.per_page]
        else:
            found = list(ids[bottom : min(bottom + self.per_page, self.count)])
        shown = list(rows.filter(pk__in=found)) if found else []
        page: Page = self._get_page(shown, number, self)  # type: ignore[type-arg,attr-defined]
        return page
