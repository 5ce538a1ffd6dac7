// Filter forms apply a choice at once (no extra click on "Filtern"); the button stays for keyboard users
// and for people without JavaScript.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.matches("select, input[type=checkbox]")) {
    form.requestSubmit();
  }
});
