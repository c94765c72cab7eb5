"""One pager (generic/_pager.html) for every paginated list: page links keep the filters shown."""

import pytest
from django.urls import reverse

from sia.architecture.models import BusinessProcess

pytestmark = pytest.mark.django_db


def test_a_long_list_pages_and_keeps_its_filters(client, world):
    BusinessProcess.objects.bulk_create(
        BusinessProcess(institution=world.inst, department=world.kominfo, name=f"Proses {n}", code=f"PB-X-{n:03d}")
        for n in range(55)
    )
    client.force_login(world.users["admin"])
    url = reverse("architecture:businessprocess_list")
    first = client.get(url, {"department": world.kominfo.pk}).content.decode()
    assert 'class="pager"' in first and "Halaman 1 dari 2" in first
    assert f"department={world.kominfo.pk}&amp;page=2" in first and "Sebelumnya" not in first
    second = client.get(url, {"department": world.kominfo.pk, "page": 2}).content.decode()
    assert "Halaman 2 dari 2" in second and "page=1" in second and "Berikutnya" not in second
