from django.contrib import admin

from samaki.admin_site import VocabularyAdmin
from samaki.advocacy.models import RequestTopic
from samaki.advocacy.queries import request_topic_list


@admin.register(RequestTopic)
class RequestTopicAdmin(VocabularyAdmin):
    list_for_user = staticmethod(request_topic_list)
