"""Page sizes offered by the lists (« 5 lignes par page »…), read from `?taille=`."""

PAGE_SIZES = (5, 10, 20, 50)


def page_size(request) -> int:
    try:
        size = int(request.GET.get("taille", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]
