from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from sia.core.integers import as_integer, in_db_range, out_of_range_message


class SiaLimitOffsetPagination(LimitOffsetPagination):
    """``limit``/``offset`` paging; a number past the database's 64-bit range is a 400 naming the
    parameter, and a page holds at most ``max_limit`` rows (a larger ``limit`` is cut to it)."""

    max_limit = 1000

    def _checked(self, request, name):
        number = as_integer(request.query_params.get(name, ""))
        if number is not None and not in_db_range(number):
            raise ValidationError({name: [out_of_range_message()]})

    def get_limit(self, request):
        self._checked(request, self.limit_query_param)
        return super().get_limit(request)

    def get_offset(self, request):
        self._checked(request, self.offset_query_param)
        return super().get_offset(request)
