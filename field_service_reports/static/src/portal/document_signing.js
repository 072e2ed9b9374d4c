import { Component, useState } from "@odoo/owl";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { addLoadingEffect } from "@web/core/utils/ui";
import { redirect } from "@web/core/utils/urls";
import { Interaction } from "@web/public/interaction";
import { SignatureForm } from "@portal/signature_form/signature_form";

/**
 * Text the code that confirms who signs or declines (``purpose``) to the
 * contact's mobile; the server says where, or why not.
 */
async function sendCode(component, ev, purpose) {
    const restore = addLoadingEffect(ev.currentTarget);
    const data = await rpc(component.props.code.url, { purpose });
    restore();
    component.code.error = data.error || false;
    if (data.sent_to) {
        component.code.sentTo = data.sent_to;
    }
}

/**
 * Odoo's portal signature form for a customer document: the questions the
 * customer answers before signing (the quality form's scores) and the
 * fingerprint of what the page showed travel with the name and signature;
 * the server refuses a signature whose document changed since. Where the
 * customer's signatures are confirmed by a code, the code texted to the
 * contact's mobile travels with them.
 */
export class DocumentSignatureForm extends SignatureForm {
    static template = "field_service_reports.DocumentSignatureForm";

    setup() {
        super.setup();
        this.answers = useState({});
        this.code = useState({ value: "", sentTo: "", error: false });
    }

    /** Text the code to the signer's mobile (the server says where). */
    onClickSendCode(ev) {
        return sendCode(this, ev, "sign");
    }

    async onClickSubmit() {
        const button = this.rootRef.el.querySelector(".o_portal_sign_submit");
        const restore = addLoadingEffect(button);
        const params = {
            name: this.signature.name,
            signature: this.signature.getSignatureImage().split(",")[1],
            shown_hash: this.props.shownHash,
        };
        if (this.props.code) {
            params.code = this.code.value;
        }
        if (this.props.questions?.length) {
            params.answers = { ...this.answers };
        }
        const data = await rpc(this.props.callUrl, params);
        if (data.force_refresh) {
            redirect(data.redirect_url);
            return new Promise(() => {});
        }
        restore();
        this.state.error = data.error || false;
    }
}

/**
 * Declining a document: the reason is required (the server says so too);
 * where signing asks for a code, declining asks for one as well.
 */
export class DocumentDeclineForm extends Component {
    static template = "field_service_reports.DocumentDeclineForm";
    static props = ["*"];

    setup() {
        this.state = useState({ reason: "", error: false });
        this.code = useState({ value: "", sentTo: "", error: false });
    }

    onClickSendCode(ev) {
        return sendCode(this, ev, "decline");
    }

    async onClickSubmit(ev) {
        const restore = addLoadingEffect(ev.currentTarget);
        const params = { reason: this.state.reason };
        if (this.props.code) {
            params.code = this.code.value;
        }
        const data = await rpc(this.props.callUrl, params);
        if (data.force_refresh) {
            redirect(data.redirect_url);
            return new Promise(() => {});
        }
        restore();
        this.state.error = data.error || false;
    }
}

/**
 * The document shown in its page: the frame takes the height of the
 * document, so that the page scrolls and not the frame.
 */
export class DocumentFrame extends Interaction {
    static selector = ".o_fs_portal_document_frame";
    dynamicContent = {
        _root: { "t-on-load": this.fit },
    };

    setup() {
        this.fit();
    }

    fit() {
        const page = this.el.contentDocument?.documentElement;
        if (page && page.scrollHeight) {
            this.el.style.height = `${page.scrollHeight + 2}px`;
        }
    }
}

registry
    .category("public_components")
    .add("field_service_reports.document_signature_form", DocumentSignatureForm)
    .add("field_service_reports.document_decline_form", DocumentDeclineForm);
registry
    .category("public.interactions")
    .add("field_service_reports.document_frame", DocumentFrame);
