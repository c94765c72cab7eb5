from sia.core.routes import object_routes

from . import views

app_name = "roadmap"

urlpatterns = [
    *object_routes("sasaran", "strategictarget", list=views.StrategicTargetListView,
                   detail=views.StrategicTargetView, history=views.StrategicTargetHistoryView),
    *object_routes("kegiatan", "activity", list=views.ActivityListView, detail=views.ActivityView,
                   history=views.ActivityHistoryView),
]
