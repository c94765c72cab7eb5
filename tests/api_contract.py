"""A reusable API contract: list, get, create, update, delete, and every permission denial.

A model's test class declares the URL, how to build an object and the payloads; the
contract checks the rest. Roles refer to users of the ``world`` fixture.
"""


class ApiContract:
    url: str = ""
    list_query: str = ""  # appended to the list URL where the object may lie beyond the first page
    model = None
    writer = "admin"  # a role that may create, change and delete
    read_only = ("leader",)  # see the object but may not change it: 403
    hidden_from = ("other_admin",)  # may not see it at all: 404
    create_denied = ("leader", "other_admin")  # may not create (403, or 400 when the target is invisible)
    deletable = True

    def make_object(self, w):
        raise NotImplementedError

    def create_data(self, w) -> dict:
        raise NotImplementedError

    def update_data(self, w) -> dict:
        raise NotImplementedError

    def detail(self, obj):
        return f"{self.url}{obj.pk}/"

    def test_anonymous_is_refused(self, world, api):
        obj = self.make_object(world)
        client = api()
        assert client.get(self.url).status_code in (401, 403)
        assert client.get(self.detail(obj)).status_code in (401, 403)
        assert client.post(self.url, self.create_data(world), format="json").status_code in (401, 403)
        assert client.delete(self.detail(obj)).status_code in (401, 403)

    def test_list_and_get(self, world, api):
        obj = self.make_object(world)
        client = api(world.users[self.writer])
        listing = client.get(self.url + self.list_query)
        assert listing.status_code == 200, listing.content
        assert obj.pk in [row["id"] for row in listing.json()["results"]]
        detail = client.get(self.detail(obj))
        assert detail.status_code == 200
        body = detail.json()
        assert list(body)[:3] == ["id", "url", "display"]
        assert list(body)[-2:] == ["created", "updated"]

    def test_hidden_objects_are_not_found(self, world, api):
        obj = self.make_object(world)
        for role in self.hidden_from:
            client = api(world.users[role])
            assert obj.pk not in [row["id"] for row in client.get(self.url).json()["results"]], role
            assert client.get(self.detail(obj)).status_code == 404, role
            assert client.patch(self.detail(obj), self.update_data(world), format="json").status_code == 404, role
            assert client.delete(self.detail(obj)).status_code == 404, role

    def test_read_only_roles_cannot_change(self, world, api):
        obj = self.make_object(world)
        for role in self.read_only:
            client = api(world.users[role])
            assert client.get(self.detail(obj)).status_code == 200, role
            assert client.patch(self.detail(obj), self.update_data(world), format="json").status_code == 403, role
            assert client.delete(self.detail(obj)).status_code == 403, role

    def test_create_denied(self, world, api):
        before = self.model.objects.count()
        for role in self.create_denied:
            response = api(world.users[role]).post(self.url, self.create_data(world), format="json")
            # A role that cannot even see the target (another instansi's OPD) is told it does not
            # exist (400); a role that sees it but may not write is forbidden (403).
            expected = (400, 403) if role in self.hidden_from else (403,)
            assert response.status_code in expected, (role, response.status_code, response.content)
        assert self.model.objects.count() == before

    def test_create_update_delete(self, world, api):
        client = api(world.users[self.writer])
        created = client.post(self.url, self.create_data(world), format="json")
        assert created.status_code == 201, created.content
        url = created.json()["url"]
        # A model with a version sends it as the ETag and wants it back (If-Match) on every update.
        etag = client.get(url).get("ETag")
        headers = {"HTTP_IF_MATCH": etag} if etag else {}
        updated = client.patch(url, self.update_data(world), format="json", **headers)
        assert updated.status_code == 200, updated.content
        for key, value in self.update_data(world).items():
            got = updated.json()[key]
            assert (got["id"] if isinstance(got, dict) else got) == value
        if self.deletable:
            assert client.delete(url).status_code == 204


class ReadOnlyApiContract(ApiContract):
    """A read-only endpoint (reference data, statuses set through an action): list, get and hidden objects as
    above; every write answers 405 to everyone who may read, and nothing changes."""

    read_only = ()
    create_denied = ()

    def create_data(self, w) -> dict:
        return {}

    def update_data(self, w) -> dict:
        return {}

    def _writes_refused(self, client, obj):
        before = self.model.objects.count()
        assert client.post(self.url, {}, format="json").status_code == 405
        assert client.put(self.detail(obj), {}, format="json").status_code == 405
        assert client.patch(self.detail(obj), {}, format="json").status_code == 405
        assert client.delete(self.detail(obj)).status_code == 405
        assert self.model.objects.count() == before

    def test_hidden_objects_are_not_found(self, world, api):
        obj = self.make_object(world)
        for role in self.hidden_from:
            client = api(world.users[role])
            assert obj.pk not in [row["id"] for row in client.get(self.url + self.list_query).json()["results"]], role
            assert client.get(self.detail(obj)).status_code == 404, role

    def test_read_only_roles_cannot_change(self, world, api):
        obj = self.make_object(world)
        for role in (self.writer, *self.read_only):
            client = api(world.users[role])
            assert client.get(self.detail(obj)).status_code == 200, role
            self._writes_refused(client, obj)

    def test_create_denied(self, world, api):
        obj = self.make_object(world)
        self._writes_refused(api(world.users["superuser"]), obj)

    def test_create_update_delete(self, world, api):
        """Nothing to create: the rows come from the instrument's file or from an action."""
        self.test_create_denied(world, api)
