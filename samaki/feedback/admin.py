from django.contrib import admin

from samaki.admin_site import VocabularyAdmin
from samaki.feedback.models import FeedbackCategory
from samaki.feedback.queries import feedback_category_list_for_user

# Feedback itself is not in the admin: restricted reports must stay with the focal points,
# and the pages under /feedback/ apply that rule.


@admin.register(FeedbackCategory)
class FeedbackCategoryAdmin(VocabularyAdmin):
    list_for_user = staticmethod(feedback_category_list_for_user)
