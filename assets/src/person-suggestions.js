// The contact form asks, as the worker types a child's name, date of birth
// and address, whether the child is already known: it fetches a fragment of
// likely matches (GET /people/suggestions, rendered and escaped by the
// server) into the region under each child. Without this script the form
// works the same, and screening offers the matches instead.

const DELAY_MS = 300

function dateOf (form, prefix) {
  const part = (name) => (form.elements.namedItem(`${prefix}dob-${name}`)?.value || '').trim()
  const day = Number(part('day'))
  const month = Number(part('month'))
  const year = Number(part('year'))
  if (!day || !month || year < 1900) return ''
  const pad = (n) => String(n).padStart(2, '0')
  return `${year}-${pad(month)}-${pad(day)}`
}

function valueOf (form, name) {
  return (form.elements.namedItem(name)?.value || '').trim()
}

function watch (region) {
  const form = region.closest('form')
  if (!form) return
  const prefix = region.dataset.child
  let timer = null
  let asked = ''
  let controller = null

  async function ask () {
    const query = new URLSearchParams({
      given_name: valueOf(form, `${prefix}given_name`),
      family_name: valueOf(form, `${prefix}family_name`),
      date_of_birth: dateOf(form, prefix),
      postcode: valueOf(form, 'postcode'),
      address: valueOf(form, 'address_line')
    }).toString()
    if (query === asked) return
    asked = query
    if (controller) controller.abort()
    controller = new AbortController()
    try {
      const reply = await fetch(`/people/suggestions?${query}`, {
        credentials: 'same-origin',
        headers: { Accept: 'text/html' },
        signal: controller.signal
      })
      if (!reply.ok) return
      region.innerHTML = await reply.text() // server-rendered and escaped
    } catch (e) {
      if (e.name !== 'AbortError') region.textContent = ''
    }
  }

  form.addEventListener('input', (event) => {
    const name = event.target.name || ''
    const relevant = name.startsWith(prefix) || name === 'postcode' || name === 'address_line'
    if (!relevant) return
    clearTimeout(timer)
    timer = setTimeout(ask, DELAY_MS)
  })
}

export function initPersonSuggestions () {
  document.querySelectorAll('.app-person-suggestions[data-child]').forEach(watch)
}
