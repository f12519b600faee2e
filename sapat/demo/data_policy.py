"""The demo institutions' quality policies and quality objectives.

Sources: seed 004 (БатМУ) §6.3 "Сапат областындагы саясат" — the 11 main provisions — and
§7.1 (the vision and the strategic goal: world-class research university, TOP-700); seed
001 (ОшМУ) §7.3 — its 11 provisions — and §8.1 (TOP-700, top 3 in Central Asia). Taken from
the seeds: the Kyrgyz provisions word for word (ОшМУ's second provision has "кызыкдар"
restored, lost in the seed's line break; its list marks and line breaks are dropped) and
the two strategic goals. Made up: the Russian and English translations, the approval dates
and protocol numbers, every other objective (the seeds give no list of objectives), their
links to processes and the 2025 reviews.
"""

# ruff: noqa: E501 — the provisions are kept one per line, as the seeds write them.

from dataclasses import dataclass

BATSU_KY = (
    "Билим берүү ишмердүүлүгүн мамлекеттик билим берүү стандарттарына шайкештигин, коомдун квалификациялуу адистерге жана жогорку квалификациялуу илимий педогогикалык кадрларга өсүп жаткан муктаждыктарын жана студенттердин интеллектуалдык, маданий, руханий жана адеп-ахлактык өнүгүүгө болгон муктаждыктарын камсыз кылуу;",
    "Билим берүү иш-аракеттерине кызыкдар болгон бардык тараптар менен өз ара пайдалуу мамилелердин туруктуулугун орнотуу, алардын билим берүү процессине талаптарын изилдөө жана божомолдоо;",
    "Бардык деңгээлдеги жетекчилердин лидерлиги жана жеке жоопкерчилиги, ар бир кызматкердин алардын милдеттерин, ыйгарым укуктарын жана жоопкерчиликтерин так түшүнүүсүн камсыз кылуу;",
    "Окутуучулардын, кызматкерлердин жана студенттердин квалификациясын, компетенттүүлүгүн, кесипкөйлүгүн, мотивациясын тынымсыз жогорулатуу, чыгармачыл демилгесин колдоо аркылуу аларды билим берүүнүн сапатын жакшыртуу боюнча ишмердикке активдүү тартуу;",
    "Билим берүү процессин илим менен интеграциялоо, илимий мекемелер, ишканалар жана уюмдар менен байланышты чыңдоо;",
    "Кызыкдар тараптардын талаптарын канааттандыруу үчүн өз мүмкүнчүлүктөрүнө жана жетишилген натыйжаларга регулярдуу баа берүү;",
    "Кесиптик жоопкерчиликтүү, өз-алдынчалуулук, жарандык аң-сезими, жогорку адеп-ахлактык баалуулуктарга ээ студенттерден коомдук активдүү жана чыгармачыл инсандарды калыптандыруу максатында билим берүү жана тарбия процесстерин өркүндөтүү;",
    "Билим берүү кызматтарынын түрлөрүн кеңейтүү, алардын жеткиликтүүлүгүн камсыздоо, адекваттуу жана гумандуу билим берүү технологияларын колдонуу;",
    "Ишмердиктин бардык түрлөрүнүн сапатын жогорулашын камсыздоочу университеттин маалыматаштырылышы (тнформатизация);",
    "Персоналдын жана студенттердин өнүмдүү жана чыгармачыл иштеши үчүн шарттарды түзүү, окуу процессин окуу-методикалык жана материалдык-техникалык жактан камсыздоону үзгүлтүксүз өркүндөтүү;",
    "Кызматкерлерди жана студенттерди социалдык колдоо, алардын ден-соолугун жана коопсуздугун коргоо.",
)

OSHSU_KY = (
    "Билим берүү ишмердүүлүгүнүн мамлекеттик билим берүү стандарттарына шайкештигин, коомдун квалификациялуу адистерге жана жогорку квалификациялуу илимий педагогикалык кадрларга өсүп жаткан муктаждыктарын жана студенттердин интеллектуалдык, маданий, руханий жана адеп-ахлактык өнүгүүгө болгон муктаждыктарын камсыз кылуу;",
    "Кызыкдар болгон бардык тараптар менен өз ара пайдалуу мамилелердин туруктуулугун орнотуу, алардын билим берүү процессине талаптарын изилдөө жана божомолдоо;",
    "Бардык деңгээлдеги жетекчилердин лидерлиги жана жеке жоопкерчилиги, ар бир кызматкердин алардын милдеттерин, ыйгарым укуктарын жана жоопкерчиликтерин так түшүнүүсүн камсыз кылуу;",
    "Окутуучулардын, кызматкерлердин жана студенттердин квалификациясын, компетенттүүлүгүн, кесипкөйлүгүн, мотивациясын тынымсыз жогорулатуу, чыгармачыл демилгесин колдоо аркылуу аларды билим берүүнүн сапатын жакшыртуу боюнча ишмердикке активдүү тартуу;",
    "Билим берүү процессин илим менен интеграциялоо, илимий мекемелер, ишканалар жана уюмдар менен байланышты чыңдоо;",
    "Кызыкдар тараптардын талаптарын канааттандыруу үчүн өз мүмкүнчүлүктөрүнө жана жетишилген натыйжаларга регулярдуу өздүк баа берүү;",
    "Кесиптик жоопкерчиликтүү, өз-алдынчалуулук, жарандык аң-сезими, жогорку адеп-ахлактык баалуулуктарга ээ студенттерден коомдук активдүү жана чыгармачыл инсандарды калыптандыруу максатында билим берүү жана тарбия процесстерин өркүндөтүү;",
    "Билим берүү кызматтарынын түрлөрүн кеңейтүү, алардын жеткиликтүүлүгүн камсыздоо, адекваттуу жана гумандуу билим берүү технологияларын колдонуу;",
    "Ишмердиктин бардык түрлөрүнүн сапатынын жогорулашын камсыздоо үчүн университеттин санариптештирилиши;",
    "Персоналдын жана студенттердин өнүмдүү жана чыгармачыл иштеши үчүн шарттарды түзүү, окуу процессин окуу-методикалык жана материалдык- техникалык жактан камсыздоону үзгүлтүксүз өркүндөтүү;",
    "Кызматкерлерди жана студенттерди социалдык колдоо, алардын денсоолугун жана коопсуздугун коргоо.",
)

# One translation serves both: the two manuals word their provisions the same way.
RU = (
    "Соответствие образовательной деятельности государственным образовательным стандартам, растущим потребностям общества в квалифицированных специалистах и научно-педагогических кадрах высшей квалификации и потребностям студентов в интеллектуальном, культурном, духовном и нравственном развитии.",
    "Устойчивые взаимовыгодные отношения со всеми сторонами, заинтересованными в образовательной деятельности; изучение и прогнозирование их требований к образовательному процессу.",
    "Лидерство и личная ответственность руководителей всех уровней; чёткое понимание каждым сотрудником своих обязанностей, полномочий и ответственности.",
    "Постоянное повышение квалификации, компетентности, профессионализма и мотивации преподавателей, сотрудников и студентов, поддержка их творческой инициативы и активное вовлечение в улучшение качества образования.",
    "Интеграция образовательного процесса с наукой, укрепление связей с научными учреждениями, предприятиями и организациями.",
    "Регулярная оценка своих возможностей и достигнутых результатов для удовлетворения требований заинтересованных сторон.",
    "Совершенствование образовательного и воспитательного процессов для формирования из студентов социально активных и творческих личностей, профессионально ответственных, самостоятельных, с гражданским сознанием и высокими нравственными ценностями.",
    "Расширение видов образовательных услуг, обеспечение их доступности, применение адекватных и гуманных образовательных технологий.",
    "Информатизация университета, обеспечивающая повышение качества всех видов деятельности.",
    "Создание условий для продуктивной и творческой работы персонала и студентов, непрерывное совершенствование учебно-методического и материально-технического обеспечения учебного процесса.",
    "Социальная поддержка сотрудников и студентов, охрана их здоровья и безопасности.",
)
EN = (
    "Educational activity that conforms to the state educational standards and meets society's growing need for qualified specialists and highly qualified academic staff, and students' need for intellectual, cultural, spiritual and moral development.",
    "Stable, mutually beneficial relations with every party interested in the educational activity; studying and forecasting their requirements of the educational process.",
    "Leadership and personal responsibility of managers at every level; every employee clearly understands their duties, authority and responsibility.",
    "Continually raising the qualification, competence, professionalism and motivation of teachers, staff and students, supporting their creative initiative and involving them actively in improving the quality of education.",
    "Integrating education with research; strengthening links with research institutions, enterprises and organisations.",
    "Regularly assessing our own capabilities and results in order to meet the requirements of the interested parties.",
    "Improving education and upbringing so that students become socially active and creative people: professionally responsible, independent, civic-minded and of high moral values.",
    "Widening the range of educational services, making them accessible, and using adequate and humane educational technologies.",
    "Informatisation of the university to raise the quality of every activity.",
    "Conditions for productive and creative work of staff and students; continual improvement of the teaching-methodological and material-technical support of teaching.",
    "Social support for staff and students; protection of their health and safety.",
)


@dataclass(frozen=True)
class PolicySpec:
    ky: tuple[str, ...]
    approved_on: str  # ISO date
    body: str  # the approving council's unit code
    protocol: str


@dataclass(frozen=True)
class ObjectiveSpec:
    key: str  # the spec's own name, for `parent`
    unit: str  # unit code; "" for the institution's top unit
    ky: str
    ru: str
    en: str
    parent: str = ""
    processes: tuple[str, ...] = ()
    status: str = "in_progress"
    review_2025: int | None = None  # achieved, %
    comment: str = ""


Obj = ObjectiveSpec

POLICIES = {
    "batsu": PolicySpec(BATSU_KY, "2024-08-29", "ОК", "1"),
    "oshsu": PolicySpec(OSHSU_KY, "2023-09-28", "ОК", "2"),
}

PERIOD = (2024, 2028)

OBJECTIVES = {
    "batsu": (
        # §7.1: the strategic goal, word for word.
        Obj(
            "top",
            "",
            "Дүйнөнүн алдыңкы ТОП-700 изилдөөчү университеттеринин катарына кирүү",
            "Войти в число ведущих ТОП-700 исследовательских университетов мира",
            "Enter the world's TOP-700 research universities",
            processes=("1.1", "3.3"),
            review_2025=20,
            comment="Рейтингдерге катышуу боюнча жол картасы бекитилди.",
        ),
        Obj(
            "ca",
            "",
            "БатМУну Борбор Азиядагы эң алдыңкы университеттердин бирине айландыруу",
            "Сделать БатМУ одним из ведущих университетов Центральной Азии",
            "Make BatSU one of the leading universities of Central Asia",
            processes=("1.1",),
            review_2025=35,
        ),
        Obj(
            "prog",
            "",
            "Билим берүү программаларынын сапатын көз карандысыз аккредитациялоо аркылуу ырастоо",
            "Подтвердить качество образовательных программ независимой аккредитацией",
            "Confirm the quality of the programmes by independent accreditation",
            processes=("2.3",),
            review_2025=60,
        ),
        Obj(
            "staff",
            "",
            "Илимий даражасы бар окутуучулардын үлүшүн жогорулатуу",
            "Повысить долю преподавателей с учёной степенью",
            "Raise the share of teachers holding a degree",
            processes=("3.1",),
            review_2025=70,
        ),
        Obj(
            "digital",
            "",
            "Университеттин бардык процесстерин санариптештирүү",
            "Цифровизировать все процессы университета",
            "Digitalise every process of the university",
            processes=("3.3", "1.2"),
            review_2025=45,
        ),
        Obj(
            "tgpf1",
            "ТГПФ",
            "Педагогикалык программаларды аккредитациядан өткөрүү",
            "Пройти аккредитацию педагогических программ",
            "Have the teacher-education programmes accredited",
            parent="prog",
            processes=("2.3",),
            review_2025=75,
        ),
        Obj(
            "tgpf2",
            "ТГПФ",
            "Факультеттин окутуучуларынын квалификациясын жогорулатуу",
            "Повысить квалификацию преподавателей факультета",
            "Raise the qualification of the faculty's teachers",
            parent="staff",
            processes=("3.1",),
            review_2025=80,
        ),
        Obj(
            "kgpi1",
            "КГПИ",
            "Бүтүрүүчүлөрдүн жумушка орношуу деңгээлин жогорулатуу",
            "Повысить трудоустройство выпускников",
            "Raise the employment of graduates",
            parent="prog",
            processes=("2.3",),
            review_2025=55,
        ),
        Obj(
            "kgpi2",
            "КГПИ",
            "Электрондук окутуу платформасын бардык сабактарда колдонуу",
            "Использовать платформу электронного обучения во всех дисциплинах",
            "Use the e-learning platform in every course",
            parent="digital",
            processes=("3.3",),
            review_2025=50,
        ),
        Obj(
            "kteui1",
            "КТЭУИ",
            "Өндүрүштүк практиканы иш берүүчүлөр менен биргеликте уюштуруу",
            "Организовать производственную практику совместно с работодателями",
            "Organise work placements together with employers",
            parent="prog",
            processes=("2.3",),
            review_2025=65,
        ),
        Obj(
            "kteui2",
            "КТЭУИ",
            "Институттун илимий басылмаларынын санын көбөйтүү",
            "Увеличить число научных публикаций института",
            "Increase the institute's research publications",
            parent="top",
            processes=("1.1",),
            status="planned",
        ),
        Obj(
            "pbb1",
            "ТГПФ-ПББ",
            "Педагогика программасынын окуу планын иш берүүчүлөр менен жаңылоо",
            "Обновить учебный план программы «Педагогика» с работодателями",
            "Renew the Pedagogy curriculum with employers",
            parent="tgpf1",
            processes=("2.3",),
            review_2025=100,
            status="achieved",
        ),
        Obj(
            "fbb1",
            "ТГПФ-ФББ",
            "Кафедранын ар бир окутуучусу жылына бир макала жарыялайт",
            "Каждый преподаватель кафедры публикует одну статью в год",
            "Every teacher of the department publishes one paper a year",
            parent="tgpf2",
            review_2025=60,
        ),
        Obj(
            "bpb1",
            "КГПИ-БПБ",
            "Бүтүрүүчүлөрдүн 80% адистиги боюнча иштейт",
            "80% выпускников работают по специальности",
            "80% of graduates work in their field",
            parent="kgpi1",
            processes=("2.3",),
            review_2025=70,
        ),
        Obj(
            "bpb2",
            "КГПИ-БПБ",
            "Бардык сабактардын электрондук курстары даярдалат",
            "Подготовлены электронные курсы по всем дисциплинам",
            "E-courses ready for every course",
            parent="kgpi2",
            processes=("3.3",),
            review_2025=40,
            status="in_progress",
        ),
    ),
    "oshsu": (
        # §8.1: the two strategic goals, word for word.
        Obj(
            "top",
            "",
            "Дүйнөнүн ТОП-700 изилдөөчү университеттеринин катарына кирүү",
            "Войти в ТОП-700 исследовательских университетов мира",
            "Enter the world's TOP-700 research universities",
            processes=("1.1",),
            review_2025=25,
        ),
        Obj(
            "ca",
            "",
            "Борбор Азиянын алдыңкы үч университетинин катарына кирүү",
            "Войти в тройку ведущих университетов Центральной Азии",
            "Become one of the top 3 universities of Central Asia",
            processes=("1.1",),
            review_2025=40,
        ),
        Obj(
            "prog",
            "",
            "Бардык билим берүү программаларын аккредитациядан өткөрүү",
            "Аккредитовать все образовательные программы",
            "Have every programme accredited",
            processes=("2.3",),
            review_2025=65,
        ),
        Obj(
            "mf1",
            "МФ",
            "Медициналык программаларды эл аралык аккредитациядан өткөрүү",
            "Пройти международную аккредитацию медицинских программ",
            "International accreditation of the medical programmes",
            parent="prog",
            processes=("2.3",),
            review_2025=50,
        ),
    ),
}
