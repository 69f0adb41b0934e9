#!/usr/bin/env python3
"""Generate a large, realistic metodist content tree for benchmarks.

Russian practice descriptions are assembled from sentences of the seed documents in
tests/fixtures/seeds/ (copies of the real documents the demo was made from), so
word forms, lengths and vocabulary are those of real municipal documents. Deterministic.

usage: gen_corpus.py OUT_DIR N [--departments K] [--seeds DIR] [--hugo] [--zola]

Writes OUT_DIR/content/<dept>/department.yaml and OUT_DIR/content/<dept>/practices/pNNNNN.md
(N practices spread over K departments, default 1). With --hugo / --zola it also writes the same
practices as a Hugo site (OUT_DIR/hugo) and a Zola site (OUT_DIR/zola) for side-by-side runs.
"""
import argparse, os, random, re

ap = argparse.ArgumentParser()
ap.add_argument("out"); ap.add_argument("n", type=int)
ap.add_argument("--departments", type=int, default=1)
ap.add_argument("--seeds", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "seeds"))
ap.add_argument("--hugo", action="store_true"); ap.add_argument("--zola", action="store_true")
a = ap.parse_args()

rnd = random.Random(42)
text = " ".join(open(os.path.join(a.seeds, f), encoding="utf-8").read() for f in sorted(os.listdir(a.seeds)))
text = re.sub(r"<[^>]+>", " ", text)
sentences = [s.strip() for s in re.split(r"(?<=[.;:])\s+|\t|\n", text) if 40 < len(s.strip()) < 300]
words = re.findall(r"[А-Яа-яЁё]{5,}", text)
TAGS = ["наставничество", "молодые педагоги", "функциональная грамотность", "ИОМ", "цифровая среда",
        "инклюзивное образование", "профориентация", "конкурсы", "методические объединения", "ФГОС",
        "воспитание", "дошкольное образование", "дополнительное образование", "одарённые дети", "ГИА"]
LEVELS = ["дошкольное", "начальное общее", "основное общее", "среднее общее", "дополнительное"]
ORGS = [f"МАОУ СОШ № {i}" for i in range(1, 41)] + [f"МАДОУ детский сад № {i}" for i in range(1, 31)]
NAMES = ["Иванова А. П.", "Петрова О. Н.", "Сидоров В. В.", "Кузнецова Е. А.", "Смирнова Т. И.",
         "Попова Н. С.", "Васильева Л. Г.", "Морозов Д. К.", "Новикова И. Ю.", "Фёдорова М. Р."]

def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

def body():
    paras = [" ".join(rnd.choice(sentences) for _ in range(rnd.randint(2, 5))) for _ in range(rnd.randint(3, 7))]
    h = rnd.choice(sentences)[:60].rstrip(" .,;:")
    bullets = "\n".join("- " + rnd.choice(sentences)[:120] for _ in range(4))
    return f"## Описание практики\n\n{paras[0]}\n\n## {h}\n\n" + "\n\n".join(paras[1:]) + f"\n\n{bullets}\n"

def write(path, s):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(s)

items = []
for i in range(1, a.n + 1):
    items.append(dict(
        id=f"p{i:05d}", dept=f"rayon-{(i - 1) % a.departments + 1:02d}",
        title=" ".join(rnd.sample(words, 3)).capitalize() + f": практика {i}",
        tags=rnd.sample(TAGS, rnd.randint(1, 3)), org=rnd.choice(ORGS), level=rnd.choice(LEVELS),
        authors=rnd.sample(NAMES, rnd.randint(1, 2)),
        date=f"20{rnd.randint(19, 25)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
        summary=rnd.choice(sentences)[:200], body=body()))

content = os.path.join(a.out, "content")
for k in range(1, a.departments + 1):
    d = f"rayon-{k:02d}"
    write(os.path.join(content, d, "department.yaml"),
          f"name: {q(f'Управление образования района {k}')}\n"
          f"full_name: {q(f'Управление образования администрации муниципального района {k}')}\n"
          f"region: Свердловская область\nmunicipality: {q(f'Муниципальный район {k}')}\n"
          f"address: {q(f'623{k:03d}, г. Примерный, ул. Ленина, д. {k}')}\nphones: [\"+7 (34394) 2-{k:02d}-00\"]\n"
          f"email: uo{k}@example.ru\nworking_hours: \"Пн–Пт 8:00–17:00\"\n"
          f"head:\n  name: \"Иванова Мария Петровна\"\n  position: \"Начальник управления\"\n")
for it in items:
    write(os.path.join(content, it["dept"], "practices", it["id"] + ".md"),
          f"---\ntitle: {q(it['title'])}\norganization: {q(it['org'])}\n"
          f"authors: [{', '.join(q(x) for x in it['authors'])}]\ndate: {it['date']}\n"
          f"level: {q(it['level'])}\ntags: [{', '.join(q(t) for t in it['tags'])}]\n"
          f"summary: {q(it['summary'])}\n---\n\n{it['body']}")

if a.hugo:
    h = os.path.join(a.out, "hugo")
    write(os.path.join(h, "hugo.toml"), 'baseURL = "/"\nlanguageCode = "ru"\ntitle = "Банк практик"\ndisableKinds = ["RSS"]\n[pagination]\npagerSize = 20\n[taxonomies]\ntag = "tags"\n')
    write(os.path.join(h, "layouts/_default/baseof.html"), '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>\n<header><a href="{{ "/" | relURL }}">Банк практик</a> <a href="{{ "/practices/" | relURL }}">Практики</a> <a href="{{ "/tags/" | relURL }}">Теги</a></header>\n<main>{{ block "main" . }}{{ end }}</main><footer>Управление образованием</footer></body></html>\n')
    write(os.path.join(h, "layouts/_default/single.html"), '{{ define "main" }}<article><h1>{{ .Title }}</h1><table><tr><th>Организация</th><td>{{ .Params.organization }}</td></tr><tr><th>Уровень</th><td>{{ .Params.level }}</td></tr><tr><th>Теги</th><td>{{ range .Params.tags }}<a href="{{ (printf "/tags/%s/" (. | urlize)) | relURL }}">{{ . }}</a> {{ end }}</td></tr></table>{{ .Content }}</article>{{ end }}')
    write(os.path.join(h, "layouts/_default/list.html"), '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> — {{ .Params.organization }}</li>{{ end }}</ul>{{ with .Paginator }}{{ if .HasNext }}<a href="{{ .Next.URL }}">Далее</a>{{ end }}{{ end }}{{ end }}')
    write(os.path.join(h, "layouts/_default/terms.html"), '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}')
    write(os.path.join(h, "layouts/index.html"), '{{ define "main" }}<h1>{{ .Site.Title }}</h1><p>Всего практик: {{ len (where .Site.RegularPages "Section" "practices") }}</p>{{ end }}')
    write(os.path.join(h, "content/practices/_index.md"), "---\ntitle: Практики\n---\n")
    for it in items:
        write(os.path.join(h, "content/practices", it["id"] + ".md"),
              f"---\ntitle: {q(it['title'])}\ndate: {it['date']}\ntags: [{', '.join(q(t) for t in it['tags'])}]\n"
              f"organization: {q(it['org'])}\nlevel: {q(it['level'])}\n---\n\n{it['body']}")

if a.zola:
    z = os.path.join(a.out, "zola")
    write(os.path.join(z, "config.toml"), 'base_url = "/"\ntitle = "Банк практик"\ndefault_language = "ru"\ncompile_sass = false\nbuild_search_index = false\ntaxonomies = [{name = "tags"}]\n')
    write(os.path.join(z, "templates/base.html"), '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock %}</title></head><body>\n<header><a href="/">Банк практик</a> <a href="/practices/">Практики</a> <a href="/tags/">Теги</a></header>\n<main>{% block main %}{% endblock %}</main><footer>Управление образованием</footer></body></html>\n')
    write(os.path.join(z, "templates/page.html"), '{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock %}{% block main %}<article><h1>{{ page.title }}</h1><table><tr><th>Организация</th><td>{{ page.extra.organization }}</td></tr><tr><th>Уровень</th><td>{{ page.extra.level }}</td></tr><tr><th>Теги</th><td>{% for t in page.taxonomies.tags %}<a href="{{ get_taxonomy_url(kind="tags", name=t) }}">{{ t }}</a> {% endfor %}</td></tr></table>{{ page.content | safe }}</article>{% endblock %}')
    write(os.path.join(z, "templates/section.html"), '{% extends "base.html" %}{% block main %}<h1>{{ section.title }}</h1><ul>{% for p in paginator.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> — {{ p.extra.organization }}</li>{% endfor %}</ul>{% if paginator.next %}<a href="{{ paginator.next }}">Далее</a>{% endif %}{% endblock %}')
    write(os.path.join(z, "templates/index.html"), '{% extends "base.html" %}{% block main %}<h1>{{ config.title }}</h1>{% set s = get_section(path="practices/_index.md") %}<p>Всего практик: {{ s.pages | length }}</p>{% endblock %}')
    write(os.path.join(z, "templates/taxonomy_list.html"), '{% extends "base.html" %}{% block main %}<h1>Теги</h1><ul>{% for t in terms %}<li><a href="{{ t.permalink }}">{{ t.name }}</a> ({{ t.pages | length }})</li>{% endfor %}</ul>{% endblock %}')
    write(os.path.join(z, "templates/taxonomy_single.html"), '{% extends "base.html" %}{% block main %}<h1>{{ term.name }}</h1><ul>{% for p in term.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}')
    write(os.path.join(z, "content/_index.md"), "+++\n+++\n")
    write(os.path.join(z, "content/practices/_index.md"), '+++\ntitle = "Практики"\npaginate_by = 20\nsort_by = "date"\n+++\n')
    for it in items:
        write(os.path.join(z, "content/practices", it["id"] + ".md"),
              f"---\ntitle: {q(it['title'])}\ndate: {it['date']}\ntaxonomies:\n  tags: [{', '.join(q(t) for t in it['tags'])}]\n"
              f"extra:\n  organization: {q(it['org'])}\n  level: {q(it['level'])}\n---\n\n{it['body']}")

print(f"{a.n} practices in {a.departments} department(s), {len(sentences)} source sentences")
