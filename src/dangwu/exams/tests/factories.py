"""Questions and exams for the tests, made through the real services."""

from typing import Any

from dangwu.exams import services
from dangwu.exams.enums import Difficulty, QuestionKind
from dangwu.exams.models import Exam, Question


def bank(world: Any, *, tag: str = "党章", n: int = 3) -> list[Question]:
    """Return ``n`` questions of each kind tagged ``tag`` in the committee's bank."""
    admin = world.user("schooladmin")
    made: list[Question] = []
    for i in range(n):
        made.append(
            services.question_create(
                actor=admin,
                kind=QuestionKind.SINGLE,
                stem=f"{tag}单选题{i}：党的最高理想和最终目标是什么？",
                options=["实现共产主义", "全面建成小康社会", "发展生产力", "实现现代化"],
                answer="A",
                tags=[tag],
                difficulty=Difficulty.MEDIUM,
                explanation="党章总纲规定，党的最高理想和最终目标是实现共产主义。",
            )
        )
        made.append(
            services.question_create(
                actor=admin,
                kind=QuestionKind.MULTIPLE,
                stem=f"{tag}多选题{i}：党的思想路线包括哪些内容？",
                options=["一切从实际出发", "理论联系实际", "实事求是", "闭门造车"],
                answer="ABC",
                tags=[tag],
                difficulty=Difficulty.HARD,
            )
        )
        made.append(
            services.question_create(
                actor=admin,
                kind=QuestionKind.TRUE_FALSE,
                stem=f"{tag}判断题{i}：预备党员的预备期为一年。",
                options=[],
                answer="T",
                tags=[tag],
                difficulty=Difficulty.EASY,
            )
        )
        made.append(
            services.question_create(
                actor=admin,
                kind=QuestionKind.FILL,
                stem=f"{tag}填空题{i}：党的根本宗旨是全心全意为人民____。",
                options=[],
                answer="服务|服务人民",
                tags=[tag],
                difficulty=Difficulty.EASY,
            )
        )
    return made


def fixed_exam(
    world: Any, questions: list[Question] | None = None, *, publish: bool = True, **extra: Any
) -> Exam:
    """Return a fixed-paper exam of the committee open to everyone under it."""
    questions = questions if questions is not None else bank(world, n=1)
    values: dict[str, Any] = {
        "title": "党章知识测试",
        "organization": world.orgs["root"],
        "time_limit_minutes": 30,
        "attempts_allowed": 2,
        "pass_mark": 60,
        **extra,
    }
    exam = services.exam_create(
        actor=world.user("schooladmin"), questions=questions, points=25, **values
    )
    if publish:
        services.exam_publish(actor=world.user("schooladmin"), exam=exam)
    return exam


def correct_response(question: Question) -> str:
    """Return a response that is right for ``question``."""
    return question.answer.split("|")[0]
