//! Workbench tests: state driven by actions, and rendering on a TestBackend.

use leadlab::session::Session;
use leadlab::tui::{App, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn render(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn scratch() {
    let app = App::new(Session::example(None).unwrap(), None);
    println!("{}", render(&app, 100, 30));
    println!("{}", render(&app, 140, 45));
}
