"""The API's own error: an HTTP status, a stable libelle and a French message."""

from rest_framework import exceptions


class ApiError(exceptions.APIException):
    """An error answered with its HTTP status and a JSON body naming the problem."""

    def __init__(self, http_status: int, libelle: str, message: str, **extra):
        super().__init__(message)
        self.status_code = http_status
        self.libelle = libelle
        self.message = message
        self.extra = extra
